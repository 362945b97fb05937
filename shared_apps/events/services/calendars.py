"""Changes of state of calendar feeds."""

from shared_apps.events.models import SchoolCalendarFeed
from shared_apps.events.tokens import new_token
from tenants.models import School


def ensure_calendar_feed(school: School) -> SchoolCalendarFeed:
    """Return the school's calendar feed, creating its secret address on first use."""
    feed, _created = SchoolCalendarFeed.objects.get_or_create(
        school=school, defaults={"token": new_token()}
    )
    return feed
