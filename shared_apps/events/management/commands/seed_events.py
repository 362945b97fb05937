"""``manage.py seed_events``: demo regions, meetings and trainings. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from shared_apps.events.demo import load_demo_events


class Command(BaseCommand):
    help = "Load the newsletter's regional meetings and trainings as demo data."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo_events()
        self.stdout.write(
            "events: {regions} regions, {meetings} meetings, {sessions} sessions added".format(
                **created
            )
        )
