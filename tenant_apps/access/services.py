"""Who may do what: the access matrix, scopes and student page locks, and the access log.

A check runs in three steps. The matrix says which of the user's roles grant the action
in the module. A role reaches a student only within its scope (all students, own groups,
own mentees, students opened to the user, or oneself). A lock on the student's page for
the user or one of their roles closes every module the lock does not open. Deny is the
default at every step: no role, no grant, no scope or a closed module means no access.

The user's roles and grants are read once per request and kept on the user object.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from tenant_apps.access.models import (
    AccessLogEntry,
    Grant,
    Role,
    SecuritySettings,
    StudentAccount,
    StudentLock,
    TopicRule,
    UserRole,
)
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey, Scope
from tenant_apps.school.models import GroupMembership, Student

logger = logging.getLogger(__name__)

# Provisioning puts a new school's first administrator in this auth group; the access
# app treats its members as holders of the administrator role.
FIRST_ADMIN_GROUP = "school_admin"

AnyUser = AbstractBaseUser | AnonymousUser
StudentQS = TypeVar("StudentQS", bound=QuerySet[Student])


@dataclass(frozen=True)
class RoleGrants:
    """A role of the user with its scope and its cells of the matrix."""

    key: str
    label: str
    scope: Scope
    requires_two_factor: bool
    grants: frozenset[tuple[str, str]]

    def allows(self, module: str, action: str) -> bool:
        return (module, action) in self.grants


# --- The user's roles ---------------------------------------------------------------------


def user_roles(user: AnyUser) -> list[RoleGrants]:
    """Return the user's roles at the current school with their grants (cached per object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleGrants] | None = getattr(user, "_access_roles", None)
    if cached is not None:
        return cached

    first_admin = Exists(Group.objects.filter(name=FIRST_ADMIN_GROUP, user=user.pk))
    roles = (
        Role.objects.filter(Q(holders__user=user.pk) | (Q(key=RoleKey.ADMINISTRATOR) & first_admin))
        .distinct()
        .prefetch_related("grants")
    )
    result = [
        RoleGrants(
            key=role.key,
            label=role.label,
            scope=Scope(role.scope),
            requires_two_factor=role.requires_two_factor,
            grants=frozenset((grant.module, grant.action) for grant in role.grants.all()),
        )
        for role in roles
    ]
    setattr(user, "_access_roles", result)  # noqa: B010 (no such field on the user class)
    return result


def forget_cached_access(user: AnyUser) -> None:
    """Drop the roles cached on ``user`` so the next check reads them again."""
    if hasattr(user, "_access_roles"):
        delattr(user, "_access_roles")


# --- Checks -------------------------------------------------------------------------------


def can(user: AnyUser, module: str, action: str, student: Student | None = None) -> bool:
    """Return whether ``user`` may perform ``action`` in ``module`` (for ``student``)."""
    granting = [role for role in user_roles(user) if role.allows(module, action)]
    if not granting:
        return False
    if student is None:
        return True
    reach = _reach(user, student)
    if not reach.opens(module):
        return False
    return any(role.scope in reach.scopes for role in granting)


def visible_modules(user: AnyUser, student: Student) -> set[Module]:
    """Return the modules of ``student``'s page that ``user`` may view (the tabs)."""
    roles = user_roles(user)
    if not roles:
        return set()
    reach = _reach(user, student)
    return {
        module
        for module in Module
        if reach.opens(module)
        and any(role.scope in reach.scopes and role.allows(module, Action.VIEW) for role in roles)
    }


def scope_students(
    user: AnyUser, module: str, queryset: StudentQS, action: str = Action.VIEW
) -> StudentQS:
    """Narrow a student queryset to the students ``user`` may reach in ``module``.

    The scope and lock conditions are subqueries of the one statement the queryset runs;
    no query per student.
    """
    granting = [role for role in user_roles(user) if role.allows(module, action)]
    if not granting:
        return queryset.none()

    in_scope = Q(pk__in=[])
    for scope in {role.scope for role in granting}:
        in_scope |= _scope_condition(user, scope, module)

    locks = _locks_applying_to(user)
    closed = locks.values("student")
    opened = locks.filter(open_modules__contains=[module]).values("student")
    return queryset.filter(in_scope).filter(~Q(pk__in=closed) | Q(pk__in=opened))


def can_topic(
    user: AnyUser,
    topic_key: str,
    student: Student,
    action: str,
    module: str = Module.CONVERSATION_FORMS,
) -> bool:
    """Return whether ``user`` may read (view) or fill in (edit) a topic for ``student``.

    The user needs the module's grant for the student (scope and locks included) and a
    topic rule of a role that reaches the student. A student reaches only themselves, so
    a student fills in their own part and nobody else's.
    """
    if action not in (Action.VIEW, Action.EDIT) or not can(user, module, action, student):
        return False
    reach = _reach(user, student)
    reaching = {role.key for role in user_roles(user) if role.scope in reach.scopes}
    flag = "may_read" if action == Action.VIEW else "may_fill"
    return TopicRule.objects.filter(
        topic_key=topic_key, role__key__in=reaching, **{flag: True}
    ).exists()


@dataclass(frozen=True)
class _Reach:
    """Which scopes reach one student, and which modules a lock leaves open (None: no lock)."""

    scopes: frozenset[Scope]
    open_modules: frozenset[str] | None

    def opens(self, module: str) -> bool:
        return self.open_modules is None or module in self.open_modules


def _reach(user: AnyUser, student: Student) -> _Reach:
    locks = list(_locks_applying_to(user).filter(student=student.pk))
    open_modules = (
        frozenset(module for lock in locks for module in lock.open_modules) if locks else None
    )
    scopes = {role.scope for role in user_roles(user)}
    reaching: set[Scope] = set()
    for scope in scopes:
        if scope == Scope.ALL:
            reaching.add(scope)
        elif scope == Scope.OPENED:
            if open_modules:
                reaching.add(scope)
        elif Student.objects.filter(pk=student.pk).filter(_scope_condition(user, scope)).exists():
            reaching.add(scope)
    return _Reach(frozenset(reaching), open_modules)


def _locks_applying_to(user: AnyUser) -> QuerySet[StudentLock]:
    role_keys = [role.key for role in user_roles(user)]
    return StudentLock.objects.filter(Q(user=user.pk) | Q(role__key__in=role_keys))


def _scope_condition(user: AnyUser, scope: Scope, module: str | None = None) -> Q:
    """Return a condition on students for one scope (subqueries, evaluated by the database)."""
    if scope == Scope.ALL:
        return ~Q(pk__in=[])
    if scope == Scope.OPENED:
        opened = _locks_applying_to(user)
        if module is not None:
            opened = opened.filter(open_modules__contains=[module])
        return Q(pk__in=opened.values("student"))
    if scope == Scope.SELF:
        return Q(pk__in=StudentAccount.objects.filter(user=user.pk).values("student"))

    current = GroupMembership.objects.as_of(timezone.localdate())
    mentored = current.filter(group__mentors__user=user.pk).values("student")
    if scope == Scope.OWN_STUDENTS:
        return Q(pk__in=mentored)
    taught = current.filter(group__teachers__user=user.pk).values("student")
    return Q(pk__in=mentored) | Q(pk__in=taught)


# --- The access log -----------------------------------------------------------------------


def record_access(
    user: AnyUser,
    student: Student | None,
    module: str,
    action: str,
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    """Record that ``user`` performed ``action`` on ``student``'s ``module`` (no content)."""
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user_id=user.pk if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        student_id=student.pk if student is not None else None,
        module=module,
        action=action,
        method=request.method or "" if request is not None else "",
        path=request.path[:300] if request is not None else "",
        ip_address=client_address(request) if request is not None else None,
    )


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address; behind our proxy, the last hop it appended."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR")
    if not candidate:
        return None
    try:
        validate_ipv46_address(candidate)
    except ValidationError:
        return None
    return str(candidate)


@dataclass(frozen=True)
class LogFilter:
    """What the administrator searches the access log for; empty fields match all."""

    username: str = ""
    student_number: str = ""
    module: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def search_access_log(log_filter: LogFilter) -> QuerySet[AccessLogEntry]:
    """Return the log entries matching ``log_filter``, newest first."""
    entries = AccessLogEntry.objects.all()
    if log_filter.username:
        entries = entries.filter(username__iexact=log_filter.username)
    if log_filter.student_number:
        students = Student.objects.filter(student_number=log_filter.student_number)
        entries = entries.filter(student_id__in=students.values("pk"))
    if log_filter.module:
        entries = entries.filter(module=log_filter.module)
    if log_filter.action:
        entries = entries.filter(action=log_filter.action)
    if log_filter.date_from:
        entries = entries.filter(at__date__gte=log_filter.date_from)
    if log_filter.date_to:
        entries = entries.filter(at__date__lte=log_filter.date_to)
    return entries.order_by("-at", "-pk")


def remove_expired_access_log(now: datetime.datetime | None = None) -> int:
    """Delete entries older than the school's retention period; return how many."""
    settings = security_settings()
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.log_retention_days)
    deleted, _details = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    logger.info("access log retention", extra={"deleted": deleted})
    return deleted


def security_settings() -> SecuritySettings:
    """Return the school's security settings row, created with defaults when missing."""
    found, _created = SecuritySettings.objects.get_or_create(pk=1)
    return found


# --- Changes of the matrix, roles, locks and topic rules ------------------------------------


MatrixCell = tuple[str, str, str]  # (role key, module, action)


@dataclass(frozen=True)
class RoleOptions:
    scope: Scope
    requires_two_factor: bool


@transaction.atomic
def do_set_matrix(
    changed_by: AnyUser,
    cells: Iterable[MatrixCell],
    options: dict[str, RoleOptions] | None = None,
) -> None:
    """Replace the whole matrix with ``cells`` (and roles' options) and record the change.

    The administrator role must keep viewing and editing administration, or nobody at
    the school could open the matrix again.
    """
    wanted = {(role, module, action) for role, module, action in cells}
    for needed in (Action.VIEW, Action.EDIT):
        if (RoleKey.ADMINISTRATOR, Module.ADMINISTRATION, needed) not in wanted:
            raise ValidationError(
                _("The administrator role must keep viewing and editing administration.")
            )
    roles = {role.key: role for role in Role.objects.select_for_update()}
    unknown = {role for role, _module, _action in wanted} | set(options or {})
    if unknown - roles.keys() or any(
        m not in Module.values or a not in Action.values for _r, m, a in wanted
    ):
        raise ValidationError(_("The matrix names an unknown role, module or action."))

    Grant.objects.all().delete()
    Grant.objects.bulk_create(
        Grant(role=roles[role], module=module, action=action) for role, module, action in wanted
    )
    for key, option in (options or {}).items():
        role = roles[key]
        role.scope = option.scope
        role.requires_two_factor = option.requires_two_factor
        role.save(update_fields=["scope", "requires_two_factor"])

    record_access(changed_by, None, Module.ADMINISTRATION, Action.EDIT)
    forget_cached_access(changed_by)


def matrix_cells() -> set[MatrixCell]:
    """Return the ticked cells of the current matrix."""
    return set(Grant.objects.values_list("role__key", "module", "action"))


def do_assign_role(user: User, role_key: str) -> UserRole:
    """Give ``user`` the role ``role_key`` (idempotent)."""
    role = Role.objects.get(key=role_key)
    found, _created = UserRole.objects.get_or_create(user=user, role=role)
    forget_cached_access(user)
    return found


def do_remove_role(user: User, role_key: str) -> None:
    """Take the role ``role_key`` away from ``user``."""
    UserRole.objects.filter(user=user, role__key=role_key).delete()
    forget_cached_access(user)


@transaction.atomic
def do_set_user_roles(changed_by: AnyUser, user: User, roles: Iterable[Role]) -> None:
    """Make ``roles`` the user's roles at this school and record the change."""
    roles = list(roles)
    keys = {role.key for role in roles}
    dropping_admin = RoleKey.ADMINISTRATOR not in keys and any(
        role.key == RoleKey.ADMINISTRATOR for role in user_roles(user)
    )
    if user.pk == changed_by.pk and dropping_admin:
        raise ValidationError(_("You cannot take the administrator role from yourself."))
    UserRole.objects.filter(user=user).exclude(role__key__in=keys).delete()
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=role) for role in roles], ignore_conflicts=True
    )
    record_access(changed_by, None, Module.ADMINISTRATION, Action.EDIT)
    forget_cached_access(user)


@transaction.atomic
def do_lock_student(
    changed_by: AnyUser,
    student: Student,
    open_modules: Iterable[str],
    *,
    user: User | None = None,
    role: Role | None = None,
) -> StudentLock:
    """Lock ``student``'s page for one user or role, leaving only ``open_modules`` open."""
    if (user is None) == (role is None):
        raise ValidationError(_("A lock is for one user or one role."))
    modules = sorted(set(open_modules))
    if any(module not in Module.values for module in modules):
        raise ValidationError(_("Unknown module."))
    lock, _created = StudentLock.objects.update_or_create(
        student=student, user=user, role=role, defaults={"open_modules": modules}
    )
    record_access(changed_by, student, Module.ADMINISTRATION, Action.EDIT)
    return lock


@transaction.atomic
def do_unlock_student(changed_by: AnyUser, lock: StudentLock) -> None:
    """Remove a lock from a student's page."""
    student = lock.student
    lock.delete()
    record_access(changed_by, student, Module.ADMINISTRATION, Action.EDIT)


def do_set_topic_rule(topic_key: str, role_key: str, *, may_read: bool, may_fill: bool) -> None:
    """Say whether a role may read and fill in a topic of a form."""
    TopicRule.objects.update_or_create(
        topic_key=topic_key,
        role=Role.objects.get(key=role_key),
        defaults={"may_read": may_read or may_fill, "may_fill": may_fill},
    )


# --- Preview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessPreview:
    """What one user can see: roles, granted actions per module, reachable students."""

    roles: list[RoleGrants]
    actions: dict[Module, list[Action]]
    student_counts: dict[Module, int]
    locks: list[StudentLock]


def preview_access(user: User) -> AccessPreview:
    """Describe what ``user`` can see and do at this school, for the administrator."""
    roles = user_roles(user)
    actions = {
        module: [action for action in Action if any(r.allows(module, action) for r in roles)]
        for module in Module
    }
    counts = {
        module: scope_students(user, module, Student.objects.all()).count()
        for module, granted in actions.items()
        if Action.VIEW in granted
    }
    locks = list(_locks_applying_to(user).select_related("student", "role", "user"))
    return AccessPreview(roles, actions, counts, locks)
