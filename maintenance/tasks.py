"""The beat-driven dispatcher of update windows (public: it reaches schools itself)."""

from celery import shared_task

from maintenance.services import dispatch


@shared_task(name="maintenance.tasks.dispatch_maintenance", ignore_result=True)
def dispatch_maintenance() -> int | None:
    """Plan, announce and run windows as the clock says; return the window run, if any."""
    window = dispatch()
    return window.pk if window is not None else None
