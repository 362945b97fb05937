"""The administrator's pages for access: matrix, users' roles, preview, locks and log."""

from django.urls import URLPattern, path

from tenant_apps.access.views import admin

urlpatterns: list[URLPattern] = [
    path("", admin.matrix, name="access-matrix"),
    path("opslaan/", admin.matrix_save, name="access-matrix-save"),
    path("gebruikers/", admin.user_list, name="access-users"),
    path("gebruikers/<int:user_id>/", admin.user_roles, name="access-user-roles"),
    path("voorbeeld/", admin.preview, name="access-preview"),
    path("leerlingen/<int:student_id>/slot/", admin.student_locks, name="access-student-locks"),
    path("logboek/", admin.log_search, name="access-log"),
    path("logboek/export/", admin.log_export, name="access-log-export"),
]
