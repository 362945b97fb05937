"""Start-up of the migration runner's worker processes (no Django import at module level).

The runner spawns its workers instead of forking them: a forked child inherits the
parent's open sockets, and Celery's after-fork clean-up then reads from the parent's
broker connection and hangs. A spawned worker imports this module before Django is set
up, so it must not import models; it sets Django up and points it at the parent's
database (under pytest that is the test database, whose name only the parent knows).
"""


def start_worker(database_name: str) -> None:
    """Set Django up in a fresh worker process, on the database named by the parent."""
    import django

    django.setup()

    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = database_name
    connections["default"].settings_dict["NAME"] = database_name
