"""Teachers with app tokens in every demo school, written to a file for the load test.

Run inside Django (``loadtest.run`` calls :func:`prepare`). Each teacher gets the
teacher role, one group to teach and a fresh token; earlier load-test tokens of that
teacher are revoked, so running it again leaves no stale tokens behind.
"""

import json
from pathlib import Path
from typing import TypedDict

from shared_apps.accounts.models import User
from tenant_apps.access.services import do_assign_role
from tenant_apps.api.services import do_issue_token, do_revoke_tokens
from tenant_apps.school.models import Group, StaffMember
from tenants.context import school_schema
from tenants.models import Domain, School

PASSWORD = "loadtest-only-password"


class TeacherLogin(TypedDict):
    host: str
    token: str
    group_id: int


def prepare(teachers_per_school: int, out: Path) -> list[TeacherLogin]:
    """Give every active school ``teachers_per_school`` teachers; write their logins."""
    logins: list[TeacherLogin] = []
    for school in School.objects.exclude(schema_name="public").order_by("schema_name"):
        domain = Domain.objects.filter(tenant=school, is_primary=True).first()
        if domain is None:
            continue
        with school_schema(school):
            groups = list(Group.objects.filter(memberships__isnull=False).distinct().order_by("pk"))
            if not groups:
                continue
            for number in range(teachers_per_school):
                user = _teacher(f"lt-docent-{number}")
                group = groups[number % len(groups)]
                group.teachers.add(StaffMember.objects.get(user=user))
                do_revoke_tokens(user)
                logins.append(
                    {
                        "host": domain.domain,
                        "token": do_issue_token(user, "load test"),
                        "group_id": group.pk,
                    }
                )
    out.write_text(json.dumps(logins))
    return logins


def _teacher(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD)
        StaffMember.objects.create(user=user, first_name="Load", last_name=username)
    do_assign_role(user, "teacher")
    return user
