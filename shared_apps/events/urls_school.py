"""School-site URLs of meetings and trainings (a school signs up from inside its own site)."""

from django.urls import URLPattern, URLResolver

app_name = "school_events"
urlpatterns: list[URLPattern | URLResolver] = []
