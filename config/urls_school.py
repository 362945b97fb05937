"""URLs of a school's own site (any host that belongs to a school)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from tenant_apps.access.decorators import public
from tenant_apps.access.views import login as access_login

urlpatterns = [
    path("", include("tenant_apps.school.urls")),
    path("", include("tenant_apps.absence.urls")),
    path("", include("tenant_apps.logbook.urls")),
    path("", include("tenant_apps.timetable.urls")),
    path("api/", include("tenant_apps.api.urls")),
    path("inloggen/", access_login.login_view, name="login"),
    path("inloggen/code/", access_login.login_code_view, name="login-code"),
    path("inloggen/tweestaps/", access_login.login_setup_view, name="login-setup"),
    path("uitloggen/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "wachtwoord/instellen/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/ingesteld/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("toegang/", include("tenant_apps.access.urls")),
    path("regio/", include("shared_apps.events.urls_school")),
    path("", include("maintenance.urls")),
]
