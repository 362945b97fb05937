"""URLs of the logbook pages."""

from django.urls import path

from tenant_apps.logbook import views

urlpatterns = [
    path("leerlingen/<int:student_id>/logboek/", views.student_logbook, name="student-logbook"),
    path("leerlingen/<int:student_id>/logboek/nieuw/", views.add_entry, name="logbook-add"),
]
