"""URLs of the teacher app API (under /api/ on a school's domain)."""

from django.urls import path

from tenant_apps.api import views

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path("v1/token/", views.TokenView.as_view(), name="api-token"),
    path("v1/groups/", views.MyGroupsView.as_view(), name="api-groups"),
    path(
        "v1/groups/<int:group_id>/students/",
        views.GroupStudentsView.as_view(),
        name="api-group-students",
    ),
    path("v1/absence-codes/", views.AbsenceCodesView.as_view(), name="api-absence-codes"),
    path("v1/absences/", views.AbsenceRegistrationView.as_view(), name="api-absences"),
    path(
        "v1/students/<int:student_id>/logbook/",
        views.LogbookEntryView.as_view(),
        name="api-logbook",
    ),
    path("v1/notices/", views.NoticesView.as_view(), name="api-notices"),
    path("v1/lessons/", views.TodaysLessonsView.as_view(), name="api-lessons"),
]
