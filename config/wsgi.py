"""WSGI entry point. django-tenants keeps the schema per thread, so Presentis runs on WSGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_wsgi_application()
