"""School-site URLs for notices."""

from django.urls import path

from maintenance import views

urlpatterns = [
    path("meldingen/<int:notice_id>/verbergen/", views.dismiss_notice, name="notice-dismiss"),
    path("api/notices/", views.notice_list, name="api-notices"),
]
