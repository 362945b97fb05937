"""School-site URLs of meetings and trainings (a school signs up from inside its own site)."""

from django.urls import URLPattern, URLResolver, path

from shared_apps.events.views import school

app_name = "school_events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", school.overview, name="overview"),
    path("bijeenkomsten/<int:pk>/", school.meeting, name="meeting"),
    path("bijeenkomsten/<int:pk>/afmelden/", school.meeting_cancel, name="meeting-cancel"),
    path("trainingen/<int:pk>/", school.training_register, name="training-register"),
    path("deelnemers/<int:pk>/afmelden/", school.participant_cancel, name="participant-cancel"),
    path("agenda.ics", school.calendar_feed, name="calendar"),
]
