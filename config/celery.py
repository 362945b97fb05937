"""The Celery application; tasks that work in a school use ``tenants.tasks.SchoolTask``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("presentis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
