"""Capacity holds when many schools register at the same moment from separate processes.

Each spawned process has its own PostgreSQL connection and registers one participant for
the same session, all released together by a barrier. Without the session row lock,
several processes read the same confirmed count and the session is overbooked; this test
then fails on the count of confirmed participants.
"""

import multiprocessing
import os

from django.db import connection

from shared_apps.events.models import Participant, ParticipantStatus
from shared_apps.events.services import trainings
from tests.events.conftest import Committed, make_session
from tests.events.race_worker import register_one

CAPACITY = 3
PROCESSES = 8


def test_parallel_registrations_never_exceed_capacity(committed_events: Committed) -> None:
    session = make_session(capacity=CAPACITY)
    committed_events.sessions.append(session)
    test_database = connection.settings_dict["NAME"]
    head, _sep, query = os.environ["DATABASE_URL"].partition("?")
    database_url = head.rsplit("/", 1)[0] + f"/{test_database}" + (f"?{query}" if query else "")

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    processes = [
        context.Process(target=register_one, args=(database_url, session.pk, number, barrier))
        for number in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=180)
    assert [process.exitcode for process in processes] == [0] * PROCESSES

    statuses = list(Participant.objects.filter(session=session).values_list("status", flat=True))
    assert len(statuses) == PROCESSES
    assert statuses.count(ParticipantStatus.CONFIRMED) == CAPACITY
    assert statuses.count(ParticipantStatus.WAITING) == PROCESSES - CAPACITY

    # The waiting list keeps the order in which the registrations got the lock.
    first_waiting = (
        Participant.objects.filter(session=session, status=ParticipantStatus.WAITING)
        .order_by("registered_at", "id")
        .first()
    )
    assert first_waiting is not None
    confirmed = Participant.objects.filter(session=session, status=ParticipantStatus.CONFIRMED)
    promoted = trainings.cancel_participant(confirmed.first())  # type: ignore[arg-type]
    assert [participant.pk for participant in promoted] == [first_waiting.pk]
