"""The school administrator's pages: the matrix grid, users' roles, preview, locks, log."""

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.access.decorators import requires
from tenant_apps.access.forms import LockForm, LogSearchForm, UserRolesForm
from tenant_apps.access.models import AccessLogEntry, Role, StudentLock
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import Scope
from tenant_apps.school.models import Student

LOG_PAGE_SIZE = 100


@requires(Module.ADMINISTRATION, Action.VIEW)
def matrix(request: HttpRequest) -> HttpResponse:
    """Show the matrix as a grid: a row per module, per role a box for each action."""
    roles = list(Role.objects.all())
    cells = services.matrix_cells()
    rows = [
        (
            module,
            [
                (
                    role,
                    [
                        (action, (role.key, module.value, action.value) in cells)
                        for action in Action
                    ],
                )
                for role in roles
            ],
        )
        for module in Module
    ]
    context = {
        "roles": roles,
        "rows": rows,
        "actions": list(Action),
        "scopes": Scope.choices,
        "may_edit": services.can(request.user, Module.ADMINISTRATION, Action.EDIT),
    }
    return render(request, "access/matrix.html", context)


@requires(Module.ADMINISTRATION, Action.EDIT)
@require_POST
def matrix_save(request: HttpRequest) -> HttpResponse:
    """Save the whole grid: ticked boxes, each role's scope and two-step requirement."""
    cells = []
    for value in request.POST.getlist("cell"):
        parts = value.split(":")
        if len(parts) == 3:
            cells.append((parts[0], parts[1], parts[2]))
    options = {
        role.key: services.RoleOptions(
            scope=Scope(request.POST.get(f"scope-{role.key}", role.scope))
            if request.POST.get(f"scope-{role.key}", role.scope) in Scope.values
            else Scope(role.scope),
            requires_two_factor=request.POST.get(f"two-factor-{role.key}") == "on",
        )
        for role in Role.objects.all()
    }
    try:
        services.do_set_matrix(request.user, cells, options)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The access matrix has been saved."))
    return redirect("access-matrix")


@requires(Module.ADMINISTRATION, Action.VIEW)
def user_list(request: HttpRequest) -> HttpResponse:
    """List the school's users with their roles."""
    users = User.objects.order_by("username").prefetch_related("access_roles__role")
    return render(request, "access/users.html", {"users": users})


@requires(Module.ADMINISTRATION, Action.EDIT)
def user_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    """Choose the roles of one user."""
    user = get_object_or_404(User, pk=user_id)
    current = Role.objects.filter(holders__user=user)
    form = UserRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_set_user_roles(request.user, user, form.cleaned_data["roles"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The roles have been saved."))
            return redirect("access-users")
    return render(request, "access/user_roles.html", {"form": form, "subject": user})


@requires(Module.ADMINISTRATION, Action.VIEW)
def preview(request: HttpRequest) -> HttpResponse:
    """Show what one user can see and do: modules, actions, reachable students, locks."""
    users = User.objects.order_by("username")
    chosen = users.filter(pk=request.GET.get("user") or 0).first()
    context: dict[str, object] = {"users": users, "chosen": chosen}
    if chosen is not None:
        context["preview"] = services.preview_access(chosen)
    return render(request, "access/preview.html", context)


@requires(Module.ADMINISTRATION, Action.EDIT)
def student_locks(request: HttpRequest, student_id: int) -> HttpResponse:
    """Lock a student's page for a user or role and choose what stays open."""
    student = get_object_or_404(Student, pk=student_id)
    form = LockForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        lock = get_object_or_404(StudentLock, pk=request.POST["remove"], student=student)
        services.do_unlock_student(request.user, lock)
        messages.success(request, _("The lock has been removed."))
        return redirect("access-student-locks", student_id=student.pk)
    if request.method == "POST" and form.is_valid():
        services.do_lock_student(
            request.user,
            student,
            form.cleaned_data["open_modules"],
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("The student's page has been locked."))
        return redirect("access-student-locks", student_id=student.pk)
    locks = student.access_locks.select_related("user", "role")
    context = {"student": student, "locks": locks, "form": form}
    return render(request, "access/student_locks.html", context)


@requires(Module.ADMINISTRATION, Action.VIEW)
def log_search(request: HttpRequest) -> HttpResponse:
    """Search the access log by user, student, module, action and dates."""
    form = LogSearchForm(request.GET or None)
    entries = AccessLogEntry.objects.none()
    if form.is_valid():
        entries = services.search_access_log(form.log_filter()).select_related("student")
    elif not request.GET:
        entries = AccessLogEntry.objects.select_related("student")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "access/log.html", context)


@requires(Module.ADMINISTRATION, Action.EXPORT)
def log_export(request: HttpRequest) -> HttpResponseBase:
    """Export the matching log entries as CSV; the export itself is recorded too."""
    form = LogSearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return redirect("access-log")
    log_filter = form.log_filter() if form.is_bound else services.LogFilter()
    entries = services.search_access_log(log_filter).select_related("student")
    services.record_access(request.user, None, Module.ADMINISTRATION, Action.EXPORT, request)

    response = StreamingHttpResponse(
        _csv_rows(entries.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{stamp}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


LOG_COLUMNS = ("time", "username", "student_number", "module", "action", "method", "path", "ip")


def _csv_rows(entries: Iterator[AccessLogEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(LOG_COLUMNS)
    for entry in entries:
        number = entry.student.student_number if entry.student_id and entry.student else ""
        row = (
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.username,
            number,
            entry.module,
            entry.action,
            entry.method,
            entry.path,
            entry.ip_address or "",
        )
        yield writer.writerow([_safe_cell(value) for value in row])


def _safe_cell(value: str) -> str:
    """Defuse values a spreadsheet would run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
