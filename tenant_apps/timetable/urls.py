"""URLs of the timetable pages."""

from django.urls import path

from tenant_apps.timetable import views

urlpatterns = [
    path("rooster/", views.overview, name="timetable-overview"),
    path("rooster/mijn/", views.my_timetable, name="timetable-mine"),
    path("rooster/invoer/beschikbaarheid/", views.availability, name="timetable-availability"),
    path("rooster/invoer/gewichten/", views.weights, name="timetable-weights"),
    path("rooster/invoer/fet/", views.import_fet, name="timetable-import-fet"),
    path("rooster/invoer/<slug:slug>/", views.input_table, name="timetable-input"),
    path("rooster/maken/", views.start_solve, name="timetable-solve"),
    path("rooster/versies/<int:version_id>/", views.version_detail, name="timetable-version"),
    path(
        "rooster/versies/<int:version_id>/voortgang/",
        views.version_progress,
        name="timetable-progress",
    ),
    path("rooster/versies/<int:version_id>/stoppen/", views.stop_solve, name="timetable-stop"),
    path("rooster/versies/<int:version_id>/opnieuw/", views.resolve, name="timetable-resolve"),
    path("rooster/versies/<int:version_id>/publiceren/", views.publish, name="timetable-publish"),
    path(
        "rooster/versies/<int:version_id>/vastzetten/",
        views.pin_lesson,
        name="timetable-pin",
    ),
    path("rooster/agenda/<str:token>.ics", views.calendar_feed, name="timetable-feed"),
    path(
        "leerlingen/<int:student_id>/rooster/",
        views.student_timetable,
        name="student-timetable",
    ),
]
