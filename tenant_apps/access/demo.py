"""Roles for the demo users of a school (``seed_demo`` calls :func:`seed` in each school)."""

from shared_apps.accounts.models import User
from tenant_apps.access.roles import RoleKey
from tenant_apps.access.services import do_assign_role

DEMO_ROLES: dict[str, tuple[RoleKey, ...]] = {
    "beheerder": (RoleKey.ADMINISTRATOR,),
    "docent": (RoleKey.TEACHER, RoleKey.MENTOR),
}


def seed() -> int:
    """Give the demo users of the current school their roles; return how many users.

    Idempotent: a role a user already holds is kept, a missing user is skipped.
    """
    seeded = 0
    for username, role_keys in DEMO_ROLES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for key in role_keys:
            do_assign_role(user, key)
        seeded += 1
    return seeded
