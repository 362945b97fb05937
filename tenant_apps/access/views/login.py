"""Signing in to a school: password, lockout after failures, then a code when required.

The password step never signs in a user who needs two-step login: it keeps the user's id
in the session as pending, for a few minutes, until the code step succeeds.
"""

import math
import time

from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from shared_apps.accounts.models import User
from tenant_apps.access import security
from tenant_apps.access.decorators import public

PENDING_KEY = "access_pending_login"
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(max_length=10, label=_("Code"))


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Check the password; sign in, or continue to the code step when it is required."""
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    next_url = _next_url(request)
    context = {"form": form, "next": next_url}
    if request.method != "POST":
        return render(request, "access/login.html", context)

    username = request.POST.get("username", "")
    if security.locked_until(username) is not None:
        return render(request, "access/login.html", {**context, "locked": _lock_minutes(username)})
    if not form.is_valid():
        if security.do_record_failed_login(username):
            context["locked"] = _lock_minutes(username)
        return render(request, "access/login.html", context)

    user = form.get_user()
    security.do_clear_failed_logins(username)
    if not security.two_factor_required(user):
        return _sign_in(request, user, next_url)
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
    }
    if security.has_confirmed_device(user):
        return redirect("login-code")
    return redirect("login-setup")


@public
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code_view(request: HttpRequest) -> HttpResponse:
    """Ask the code of the user's authenticator and sign in when it is right."""
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    return _code_step(request, user, "access/login_code.html", {})


@public
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_setup_view(request: HttpRequest) -> HttpResponse:
    """Let a user whose role requires two-step login link an authenticator app first."""
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    if security.has_confirmed_device(user):
        return redirect("login-code")
    device = getattr(user, "two_factor_device", None)
    if device is None or request.method != "POST":
        device = security.do_start_device_setup(user)
    uri = security.provisioning_uri(device, getattr(request.tenant, "name", ""))  # type: ignore[attr-defined]
    context = {"qr_svg": security.qr_code_svg(uri), "secret": device.secret}
    return _code_step(request, user, "access/login_setup.html", context)


def _code_step(
    request: HttpRequest, user: User, template: str, context: dict[str, object]
) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    context = {**context, "form": form}
    if request.method != "POST":
        return render(request, template, context)

    username = user.get_username()
    if security.locked_until(username) is not None:
        request.session.pop(PENDING_KEY, None)
        return render(request, "access/login.html", {"locked": _lock_minutes(username)})
    if form.is_valid() and security.do_verify_code(user, form.cleaned_data["code"]):
        security.do_clear_failed_logins(username)
        pending = request.session.pop(PENDING_KEY)
        auth_login(request, user, backend=pending["backend"])
        request.session["access_last_seen"] = time.time()
        return redirect(pending["next"])
    security.do_record_failed_login(username)
    return render(request, template, {**context, "wrong_code": True})


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _sign_in(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    auth_login(request, user)
    request.session["access_last_seen"] = time.time()
    return redirect(next_url)


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _lock_minutes(username: str) -> int:
    until = security.locked_until(username)
    if until is None:
        return 0
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
