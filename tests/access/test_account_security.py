"""Lockout per school, two-step login when a role requires it, idle sessions, passwords."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from shared_apps.accounts.models import User
from tenant_apps.access.models import Role, TwoFactorDevice
from tenant_apps.access.roles import RoleKey
from tenants.context import school_schema
from tests.access.conftest import MakeUser
from tests.helpers import PASSWORD, SCHOOL_A, SCHOOL_B, login

ROOT = Path(__file__).resolve().parents[2]


def _post_login(client: Client, username: str, password: str) -> int:
    return client.post("/inloggen/", {"username": username, "password": password}).status_code


def test_lockout_after_five_failures_holds_only_at_that_school(db: None) -> None:
    for school in (SCHOOL_A, SCHOOL_B):
        with school_schema(school.schema):
            User.objects.create_user(username="sam", password=PASSWORD)
    at_a, at_b = Client(HTTP_HOST=SCHOOL_A.domain), Client(HTTP_HOST=SCHOOL_B.domain)

    for _attempt in range(5):
        assert _post_login(at_a, "sam", "wrong-password-123") == 200
    refused = at_a.post("/inloggen/", {"username": "sam", "password": PASSWORD})

    assert "Te veel mislukte pogingen" in refused.content.decode()
    assert "_auth_user_id" not in at_a.session
    assert _post_login(at_b, "sam", PASSWORD) == 302  # school B knows nothing of A's lockout


def test_lockout_ends_after_its_time(db: None) -> None:
    from tenant_apps.access.models import LoginThrottle

    client = Client(HTTP_HOST=SCHOOL_A.domain)
    for _attempt in range(5):
        _post_login(client, SCHOOL_A.username, "wrong-password-123")
    assert _post_login(client, SCHOOL_A.username, PASSWORD) == 200

    with school_schema(SCHOOL_A.schema):
        LoginThrottle.objects.update(locked_until="2000-01-01T00:00:00Z")

    assert _post_login(client, SCHOOL_A.username, PASSWORD) == 302


def test_unknown_names_are_locked_like_real_ones(db: None) -> None:
    client = Client(HTTP_HOST=SCHOOL_A.domain)
    for _attempt in range(5):
        _post_login(client, "niemand", "wrong-password-123")

    page = client.post("/inloggen/", {"username": "niemand", "password": "x"}).content.decode()

    assert "Te veel mislukte pogingen" in page


def _require_two_factor(role_key: str) -> None:
    Role.objects.filter(key=role_key).update(requires_two_factor=True)


def test_role_that_requires_two_step_login_sets_up_and_then_asks_a_code(
    make_user: MakeUser,
) -> None:
    teacher = make_user("tina", RoleKey.TEACHER)
    _require_two_factor(RoleKey.TEACHER)
    client = Client(HTTP_HOST=SCHOOL_A.domain)

    response = client.post("/inloggen/", {"username": "tina", "password": PASSWORD})
    assert response["Location"] == "/inloggen/tweestaps/"
    assert "_auth_user_id" not in client.session
    setup = client.get("/inloggen/tweestaps/")
    secret = TwoFactorDevice.objects.get(user=teacher).secret
    assert secret in setup.content.decode() and "<svg" in setup.content.decode()
    assert client.post("/inloggen/tweestaps/", {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session

    totp = pyotp.TOTP(secret)
    first_code = totp.now()
    assert client.post("/inloggen/tweestaps/", {"code": first_code})["Location"] == "/"
    assert client.session["_auth_user_id"] == str(teacher.pk)

    # The next login asks the code; the code just used cannot be used again.
    again = Client(HTTP_HOST=SCHOOL_A.domain)
    response = again.post("/inloggen/", {"username": "tina", "password": PASSWORD})
    assert response["Location"] == "/inloggen/code/"
    assert again.post("/inloggen/code/", {"code": first_code}).status_code == 200
    assert "_auth_user_id" not in again.session
    next_code = totp.at(time.time() + 30)
    assert again.post("/inloggen/code/", {"code": next_code}).status_code == 302
    assert again.session["_auth_user_id"] == str(teacher.pk)


def test_roles_without_the_requirement_sign_in_with_the_password(make_user: MakeUser) -> None:
    make_user("mia", RoleKey.MENTOR)
    _require_two_factor(RoleKey.TEACHER)

    login(SCHOOL_A.domain, "mia")  # asserts the redirect after the password alone


def test_code_page_without_a_password_first_goes_back_to_login(db: None) -> None:
    response = Client(HTTP_HOST=SCHOOL_A.domain).post("/inloggen/code/", {"code": "123456"})

    assert response["Location"] == "/inloggen/"


def test_idle_session_ends(db: None) -> None:
    client = login(SCHOOL_A.domain, SCHOOL_A.username)
    assert client.get("/toegang/").status_code == 200

    session = client.session
    session["access_last_seen"] = time.time() - 2 * 60 * 60
    session.save()

    response = client.get("/toegang/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_password_rules_refuse_short_common_and_numeric_passwords() -> None:
    for weak in ("kort-wachtw", "123456789012", "qwertyuiop123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("lange-zin-met-vier-woorden")


def _deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="deploy-check-only-this-is-not-a-real-secret-key-0123456789",
        ALLOWED_HOSTS=".presentis.nl",
        **overrides,
    )
    command = [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"]
    return subprocess.run(
        [*command, "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_check() -> None:
    passed = _deploy_check()
    weakened = _deploy_check(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")

    assert passed.returncode == 0, passed.stderr
    assert weakened.returncode != 0  # the check does fail when a setting is weakened
    assert "security.W004" in weakened.stderr and "security.W008" in weakened.stderr
