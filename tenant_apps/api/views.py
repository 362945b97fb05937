"""The teacher app API: my groups, a group's students, absence, logbook notes, notices.

Every view declares its module and action for the access matrix; the matrix permission
(the default permission class) refuses what is not declared. List views run a fixed
number of queries whatever the number of students.
"""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from maintenance.services import active_notices
from tenant_apps.absence import selectors as absence_selectors
from tenant_apps.absence import services as absence_services
from tenant_apps.absence.models import AbsenceCode, LessonPeriod
from tenant_apps.access.decorators import AccessDeclaration
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.services import record_access, scope_students
from tenant_apps.api import serializers
from tenant_apps.api.services import check_credentials_and_issue_token
from tenant_apps.logbook.services import do_add_logbook_entry
from tenant_apps.school.models import Group, GroupMembership, Student
from tenant_apps.school.selectors import supervised_groups
from tenant_apps.timetable import selectors as timetable_selectors
from tenants.context import require_school

PHOTO_PLACEHOLDER = "/static/school/photo-placeholder.svg"


class TokenView(APIView):
    """Exchange a user name and password of this school for an app token."""

    access_declaration = AccessDeclaration("public")
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=serializers.TokenRequestSerializer, responses=serializers.TokenSerializer
    )
    def post(self, request: Request) -> Response:
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            token = check_credentials_and_issue_token(
                request._request,
                data.validated_data["username"],
                data.validated_data["password"],
                data.validated_data.get("device", ""),
            )
        except DjangoPermissionDenied as error:
            raise exceptions.AuthenticationFailed(str(error)) from error
        return Response({"token": token}, status=status.HTTP_201_CREATED)


class SchemaView(SpectacularAPIView):
    """The OpenAPI description of this API (the same for every school)."""

    access_declaration = AccessDeclaration("public")
    authentication_classes = []
    permission_classes = [AllowAny]


class MyGroupsView(APIView):
    """The groups the user mentors or teaches, wherever their students come from."""

    access_module = Module.GENERAL
    access_action = Action.VIEW

    @extend_schema(responses=serializers.GroupSerializer(many=True))
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        staff = getattr(request.user, "staff_member", None)
        groups = list(supervised_groups(staff, today))
        mentored = set(
            Group.mentors.through.objects.filter(staffmember=staff, group__in=groups).values_list(
                "group_id", flat=True
            )
        )
        for group in groups:
            group.is_mentor = group.pk in mentored  # type: ignore[attr-defined]
        return Response(serializers.GroupSerializer(groups, many=True).data)


class GroupStudentsView(APIView):
    """The students of a group on a day, with a photo placeholder and that day's absence."""

    access_module = Module.ABSENCE
    access_action = Action.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD, default today")],
        responses=serializers.GroupStudentSerializer(many=True),
    )
    def get(self, request: Request, group_id: int) -> Response:
        group = get_object_or_404(Group, pk=group_id)
        day = _day(request)
        memberships = dict(
            GroupMembership.objects.as_of(day)
            .filter(group=group)
            .values_list("student_id", "is_guest")
        )
        students = list(
            scope_students(request.user, Module.ABSENCE, Student.objects.all())
            .filter(pk__in=list(memberships))
            .enrolled_on(day)
            .select_related("location")
            .order_by("last_name", "first_name")
        )
        absences = absence_selectors.today_absences([student.pk for student in students], day)
        rows = [
            {
                "id": student.pk,
                "name": student.full_name,
                "student_number": student.student_number,
                "is_guest": memberships[student.pk],
                "location": student.location.name,
                "photo_url": PHOTO_PLACEHOLDER,
                "absences": absences.get(student.pk, []),
            }
            for student in students
        ]
        return Response(serializers.GroupStudentSerializer(rows, many=True).data)


class AbsenceCodesView(APIView):
    """The absence codes in use at this school."""

    access_module = Module.ABSENCE
    access_action = Action.VIEW

    @extend_schema(responses=serializers.AbsenceCodeSerializer(many=True))
    def get(self, request: Request) -> Response:
        codes = absence_selectors.active_codes()
        return Response(serializers.AbsenceCodeSerializer(codes, many=True).data)


class AbsenceRegistrationView(APIView):
    """Register absence for one lesson for several students in one request."""

    access_module = Module.ABSENCE
    access_action = Action.EDIT

    @extend_schema(
        request=serializers.RegistrationSerializer,
        responses=serializers.RegistrationResultSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = serializers.RegistrationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        period = None
        if data["period"] is not None:
            period = LessonPeriod.objects.filter(number=data["period"]).first()
            if period is None:
                raise exceptions.ValidationError({"period": [_("Unknown lesson period.")]})

        codes = {code.code: code for code in AbsenceCode.objects.filter(is_active=True)}
        unknown = {mark["code"] for mark in data["marks"]} - set(codes) - {None}
        if unknown:
            raise exceptions.ValidationError(
                {"code": [_("Unknown absence code: %s") % ", ".join(sorted(unknown))]}
            )
        marks = [
            absence_services.Mark(
                mark["student"], codes.get(mark["code"]) if mark["code"] else None
            )
            for mark in data["marks"]
        ]
        students = self._reachable_students(request, [mark.student_id for mark in marks])

        try:
            result = absence_services.do_register_absences(
                request.user, data["date"], period, marks
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"detail": error.messages}) from error
        for student in students:
            record_access(request.user, student, Module.ABSENCE, Action.EDIT, request._request)
        return Response(
            {"created": result.created, "changed": result.changed, "removed": result.removed},
            status=status.HTTP_201_CREATED,
        )

    def _reachable_students(self, request: Request, student_ids: list[int]) -> list[Student]:
        """Return the students, refusing the whole request if one is out of the user's reach."""
        reachable = list(
            scope_students(
                request.user,
                Module.ABSENCE,
                Student.objects.filter(pk__in=student_ids),
                Action.EDIT,
            )
        )
        if len(reachable) != len(set(student_ids)):
            raise exceptions.PermissionDenied(_("A student is outside your groups."))
        return reachable


class LogbookEntryView(APIView):
    """Add a logbook note on a student."""

    access_module = Module.LOGBOOK
    access_action = Action.EDIT

    @extend_schema(
        request=serializers.LogbookEntryRequestSerializer,
        responses=serializers.LogbookEntrySerializer,
    )
    def post(self, request: Request, student_id: int) -> Response:
        payload = serializers.LogbookEntryRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        student = get_object_or_404(Student, pk=student_id)
        try:
            entry = do_add_logbook_entry(
                request.user,
                student,
                day=payload.validated_data["date"],
                category=payload.validated_data["category"],
                text=payload.validated_data["text"],
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"detail": error.messages}) from error
        return Response(
            serializers.LogbookEntrySerializer(entry).data, status=status.HTTP_201_CREATED
        )


class NoticesView(APIView):
    """The notices the user should see now (maintenance windows and other messages)."""

    access_module = Module.GENERAL
    access_action = Action.VIEW

    @extend_schema(responses=serializers.NoticeSerializer(many=True))
    def get(self, request: Request) -> Response:
        roles = set(request.user.groups.values_list("name", flat=True))
        english = translation.get_language() == "en"
        notices = [
            {
                "id": notice.pk,
                "title": (notice.title_en if english and notice.title_en else notice.title_nl),
                "body": (notice.message_en if english and notice.message_en else notice.message_nl),
                "starts_at": notice.starts_at,
                "ends_at": notice.ends_at,
            }
            for notice in active_notices(require_school(), request.user.pk, roles)
        ]
        return Response(serializers.NoticeSerializer(notices, many=True).data)


class TodaysLessonsView(APIView):
    """The user's lessons of the published timetable on a day (default today).

    The period numbers are the lesson periods that absence is registered against, so the
    app can open the registration of a lesson straight from this list.
    """

    access_module = Module.TIMETABLE
    access_action = Action.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD, default today")],
        responses=serializers.LessonSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        day = _day(request)
        staff = getattr(request.user, "staff_member", None)
        lessons = timetable_selectors.teacher_lessons(staff) if staff else []
        todays = timetable_selectors.with_clock_times(timetable_selectors.lessons_on(lessons, day))
        return Response(serializers.LessonSerializer(todays, many=True).data)


def _day(request: Request) -> datetime.date:
    value = request.query_params.get("date")
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise exceptions.ValidationError({"date": [_("Use the form YYYY-MM-DD.")]}) from error
