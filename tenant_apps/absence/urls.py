"""URLs of the absence pages."""

from django.urls import path

from tenant_apps.absence import views

urlpatterns = [
    path("absentie/", views.my_groups, name="absence-groups"),
    path("absentie/groep/<int:group_id>/", views.group_absence, name="group-absence"),
    path("leerlingen/<int:student_id>/absentie/", views.student_absence, name="student-absence"),
    path(
        "leerlingen/<int:student_id>/absentie/<int:absence_id>/corrigeren/",
        views.correct_absence,
        name="absence-correct",
    ),
]
