"""A version whose worker is gone does not stay "solving": it is marked failed.

The beat test runs for real: a Celery worker takes the dispatcher, which queues one check
per school, and each check runs inside its own school.
"""

import datetime
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone
from django.utils.translation import override

from tenant_apps.timetable import services
from tenant_apps.timetable.models import SolveState, TimetableVersion
from tenants.context import school_schema
from tests.helpers import SCHOOL_A, SCHOOL_B


def _version(state: str, *, age: datetime.timedelta, silent_for: datetime.timedelta | None):
    """Create a version made ``age`` ago whose last heartbeat was ``silent_for`` ago."""
    now = timezone.now()
    return TimetableVersion.objects.create(
        name=f"{state} {age}",
        created_at=now - age,
        solve_state=state,
        heartbeat_at=None if silent_for is None else now - silent_for,
    )


MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


def test_only_versions_whose_solver_is_gone_are_marked_failed(in_school_a: None) -> None:
    silent = _version(SolveState.RUNNING, age=30 * MINUTE, silent_for=6 * MINUTE)
    alive = _version(SolveState.RUNNING, age=30 * MINUTE, silent_for=datetime.timedelta(0))
    never_beat = _version(SolveState.RUNNING, age=30 * MINUTE, silent_for=None)
    just_started = _version(SolveState.RUNNING, age=MINUTE, silent_for=None)
    waiting = _version(SolveState.QUEUED, age=3 * 60 * MINUTE, silent_for=None)
    lost = _version(SolveState.QUEUED, age=2 * DAY, silent_for=None)
    finished = _version(SolveState.DONE, age=2 * DAY, silent_for=2 * DAY)

    with override("nl"):
        assert services.expire_stale_solves() == 3

    states = {
        v.pk: v.solve_state
        for v in TimetableVersion.objects.filter(
            pk__in=[
                x.pk for x in (silent, alive, never_beat, just_started, waiting, lost, finished)
            ]
        )
    }
    assert states == {
        silent.pk: SolveState.FAILED,
        alive.pk: SolveState.RUNNING,
        never_beat.pk: SolveState.FAILED,
        just_started.pk: SolveState.RUNNING,
        waiting.pk: SolveState.QUEUED,
        lost.pk: SolveState.FAILED,
        finished.pk: SolveState.DONE,
    }
    silent.refresh_from_db()
    assert silent.explanation == ["De roostermaker stopte onverwacht; maak het rooster opnieuw."]
    assert silent.is_finished


def test_the_check_of_one_school_leaves_another_schools_versions_alone(
    django_db_blocker: pytest.FixtureRequest, committed_stale: dict[str, int]
) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with school_schema(SCHOOL_A.schema):
            assert services.expire_stale_solves() == 1
        assert _states(committed_stale) == {
            SCHOOL_A.schema: SolveState.FAILED,
            SCHOOL_B.schema: SolveState.RUNNING,
        }


@pytest.fixture
def committed_stale(django_db_blocker: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """One silent running version per school, committed so a worker sees it."""
    made: dict[str, int] = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for school in (SCHOOL_A, SCHOOL_B):
            with school_schema(school.schema):
                made[school.schema] = _version(SolveState.RUNNING, age=DAY, silent_for=DAY).pk
        yield made
        for schema, pk in made.items():
            with school_schema(schema):
                TimetableVersion.objects.filter(pk=pk).delete()


def _states(made: dict[str, int]) -> dict[str, str]:
    states = {}
    for schema, pk in made.items():
        with school_schema(schema):
            states[schema] = TimetableVersion.objects.get(pk=pk).solve_state
    return states


def test_beat_marks_stale_versions_failed_in_every_school(
    celery_worker: None,
    committed_stale: dict[str, int],
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    from django.conf import settings

    from tenant_apps.timetable.tasks import dispatch_stale_solve_check

    scheduled = settings.CELERY_BEAT_SCHEDULE["timetable-stale-solves"]["task"]
    assert scheduled == dispatch_stale_solve_check.name

    dispatch_stale_solve_check.delay()

    states: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            states = _states(committed_stale)
        if all(state == SolveState.FAILED for state in states.values()):
            break
        time.sleep(0.3)
    assert states == {schema: SolveState.FAILED for schema in committed_stale}
