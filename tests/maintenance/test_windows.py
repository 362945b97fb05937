"""Windows run once at 06:30 local time, across daylight saving, and never twice."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from maintenance import services
from maintenance.models import MaintenanceWindow, WindowState

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _tick_through(days: list[dt.date]) -> list[tuple[int, dt.datetime]]:
    """Call the claimer every minute from 00:00 to 09:00 local on each day."""
    claims = []
    for day in days:
        now = dt.datetime.combine(day, dt.time(0, 0), tzinfo=AMSTERDAM)
        end = dt.datetime.combine(day, dt.time(9, 0), tzinfo=AMSTERDAM)
        while now < end:
            window = services.claim_due_window(now, claimer="test")
            if window is not None:
                claims.append((window.pk, now))
                window.state = WindowState.DONE
                window.save(update_fields=["state"])
            services.mark_missed_windows(now)
            now += dt.timedelta(minutes=1)
    return claims


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change_day", "utc_before", "utc_after"),
    [
        (dt.date(2027, 3, 28), 5, 4),  # last Sunday of March: clocks go forward
        (dt.date(2027, 10, 31), 4, 5),  # last Sunday of October: clocks go back
    ],
)
def test_each_window_runs_once_at_half_past_six_local(
    change_day: dt.date, utc_before: int, utc_after: int
) -> None:
    days = [change_day - dt.timedelta(days=1), change_day, change_day + dt.timedelta(days=1)]
    windows = [services.plan_window(day) for day in days]

    claims = _tick_through(days)

    assert [window_id for window_id, _now in claims] == [window.pk for window in windows]
    for _window_id, claimed_at in claims:
        assert claimed_at.astimezone(AMSTERDAM).time() == dt.time(6, 30)
    utc_hours = [window.planned_start.astimezone(dt.UTC).hour for window in windows]
    assert utc_hours == [utc_before, utc_after, utc_after]
    assert not MaintenanceWindow.objects.filter(state=WindowState.MISSED).exists()


@pytest.mark.django_db
def test_a_window_nobody_started_in_time_is_missed_not_run_late() -> None:
    day = dt.date(2027, 5, 12)
    window = services.plan_window(day)
    noon = dt.datetime.combine(day, dt.time(12, 0), tzinfo=AMSTERDAM)

    assert services.claim_due_window(noon, claimer="late") is None
    services.mark_missed_windows(noon)

    window.refresh_from_db()
    assert window.state == WindowState.MISSED


def test_two_dispatchers_racing_claim_one_window(committed: None) -> None:
    day = dt.date(2027, 6, 2)
    window = services.plan_window(day)
    start = dt.datetime.combine(day, dt.time(6, 30), tzinfo=AMSTERDAM)
    barrier = threading.Barrier(4)
    claimed: list[int] = []

    def dispatcher(name: str) -> None:
        try:
            barrier.wait()
            result = services.claim_due_window(start + dt.timedelta(seconds=5), claimer=name)
            if result is not None:
                claimed.append(result.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher, args=(f"beat-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert claimed == [window.pk]
    window.refresh_from_db()
    assert window.state == WindowState.RUNNING


@pytest.mark.django_db
def test_announcement_shows_from_the_afternoon_before() -> None:
    day = dt.date(2027, 9, 8)
    window = services.plan_window(day, release="2027.09.1")
    the_day_before = dt.datetime.combine(
        day - dt.timedelta(days=1), dt.time(13, 59), tzinfo=AMSTERDAM
    )

    assert services.announce_due_windows(the_day_before) == []
    announced = services.announce_due_windows(the_day_before + dt.timedelta(minutes=1))

    assert announced == [window]
    window.refresh_from_db()
    assert window.state == WindowState.ANNOUNCED
    assert window.notice.ends_at == window.planned_end
