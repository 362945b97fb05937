"""Public-site URLs of meetings and trainings."""

from django.urls import URLPattern, URLResolver, path

from shared_apps.events.views import public

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("bijeenkomsten/", public.meeting_list, name="overview"),
    path("bijeenkomsten/<int:pk>/agenda.ics", public.meeting_ics, name="meeting-ics"),
    path("uitnodiging/<str:token>/", public.invitation, name="invitation"),
    path("uitnodiging/<str:token>/wijzigen/", public.invitation_change, name="invitation-change"),
    path("uitnodiging/<str:token>/afmelden/", public.invitation_cancel, name="invitation-cancel"),
    path("trainingen/<int:pk>/", public.training_register, name="training-register"),
    path("trainingen/<int:pk>/agenda.ics", public.session_ics, name="session-ics"),
    path("aanmelding/<str:token>/", public.registration, name="registration"),
    path(
        "aanmelding/<str:token>/afmelden/<int:participant>/",
        public.registration_cancel,
        name="registration-cancel",
    ),
    path("agenda/<str:token>.ics", public.school_feed, name="school-feed"),
]
