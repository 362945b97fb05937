"""URLs of a school's own site (any host that belongs to a school)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tenant_apps.school import views as school_views

urlpatterns = [
    path("", school_views.home, name="home"),
    path("leerlingen/", school_views.student_list, name="student-list"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regio/", include("shared_apps.events.urls_school")),
    path("", include("maintenance.urls")),
]
