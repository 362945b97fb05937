"""URLs of the school's own pages (students and their page)."""

from django.urls import path

from tenant_apps.school import views

urlpatterns = [
    path("", views.home, name="home"),
    path("leerlingen/", views.student_list, name="student-list"),
    path("leerlingen/<int:student_id>/", views.student_detail, name="student-detail"),
]
