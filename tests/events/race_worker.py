"""The child side of the capacity race: a fresh interpreter that registers one participant.

Children are spawned, not forked: a forked child would share the parent's database socket
(the session fixtures' connection is not visible to the test's ``close_all``) and the
browser fixture's event loop. A spawned child sets Django up itself, against the test
database named in ``database_url``.
"""

import multiprocessing.synchronize
import os


def register_one(
    database_url: str, session_pk: int, number: int, barrier: multiprocessing.synchronize.Barrier
) -> None:
    """Wait for the other children, then register one participant for the session."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()

    from shared_apps.events.models import TrainingSession
    from shared_apps.events.services import trainings
    from shared_apps.events.services.names import PersonData
    from tenants.models import School
    from tests.helpers import SCHOOL_A, SCHOOL_B

    schema = SCHOOL_A.schema if number % 2 else SCHOOL_B.schema
    school = School.objects.get(schema_name=schema)
    session = TrainingSession.objects.get(pk=session_pk)
    data = trainings.RegistrationData(
        "Carla Contact",
        f"contact{number}@school.nl",
        [PersonData(f"Deelnemer {number}", f"person{number}@school.nl")],
    )
    barrier.wait(timeout=120)
    trainings.register_participants(session, school, data)

    from django.db import connections

    connections.close_all()
