"""The staff back office (/beheer/) for meetings and trainings.

Besides the usual lists and forms, each meeting and each session has an overview page:
who comes from which school, the rooms offered (choose one) and the switch to online for a
meeting; participants, attendance, exports and the amount to invoice per school for a
session. Every change goes through the services.
"""

from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shared_apps.events import exports, selectors
from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.models import (
    MeetingAttendee,
    MeetingInvitation,
    MeetingSignup,
    Participant,
    ParticipantStatus,
    RegionalMeeting,
    SessionDay,
    Training,
    TrainingSession,
)
from shared_apps.events.services import meetings, trainings


@admin.register(RegionalMeeting)
class RegionalMeetingAdmin(admin.ModelAdmin[RegionalMeeting]):
    list_display = [
        "date",
        "part_of_day",
        "region",
        "topic",
        "venue_shown",
        "signup_count",
        "overview_link",
    ]
    list_filter = ["region__province", "part_of_day", "is_online"]
    search_fields = ["region__name", "topic"]
    date_hierarchy = "date"
    actions = ["invite_schools"]
    fields = ["region", "date", "part_of_day", "starts_at", "ends_at", "topic"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegionalMeeting]:
        active = Count("signups", filter=Q(signups__cancelled_at__isnull=True))
        queryset = super().get_queryset(request).select_related("region", "venue__school")
        return queryset.annotate(active_signups=active)

    @admin.display(description=gettext_lazy("venue"))
    def venue_shown(self, meeting: RegionalMeeting) -> str:
        return meeting.venue_text

    @admin.display(description=gettext_lazy("schools signed up"))
    def signup_count(self, meeting: RegionalMeeting) -> int:
        return int(getattr(meeting, "active_signups", 0))

    @admin.display(description=gettext_lazy("overview"))
    def overview_link(self, meeting: RegionalMeeting) -> str:
        url = reverse("admin:events_regionalmeeting_overview", args=[meeting.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sign-ups and venue"))

    @admin.action(description=gettext_lazy("Invite the contact persons of the region's schools"))
    def invite_schools(self, request: HttpRequest, queryset: QuerySet[RegionalMeeting]) -> None:
        sent = sum(meetings.invite_schools(meeting) for meeting in queryset)
        message = ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent) % {
            "count": sent
        }
        self.message_user(request, message, messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/overview/",
                self.admin_site.admin_view(self.overview_view),
                name="events_regionalmeeting_overview",
            ),
        ]
        return own + super().get_urls()

    def overview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show who comes from which school and the rooms offered; choose a venue or go online."""
        meeting = get_object_or_404(RegionalMeeting.objects.select_related("region"), pk=pk)
        if not self.has_change_permission(request, meeting):
            return redirect("admin:index")
        if request.method == "POST":
            self._handle_overview_post(request, meeting)
            return redirect("admin:events_regionalmeeting_overview", pk=pk)

        signups = list(selectors.meeting_signups(meeting))
        invitations = MeetingInvitation.objects.filter(meeting=meeting).select_related(
            "contact__school"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": str(meeting),
            "meeting": meeting,
            "signups": signups,
            "rooms": [signup for signup in signups if signup.room_offered],
            "attendee_count": sum(len(signup.attendees.all()) for signup in signups),
            "invitations": invitations,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "events/admin/meeting_overview.html", context)

    def _handle_overview_post(self, request: HttpRequest, meeting: RegionalMeeting) -> None:
        try:
            if "venue" in request.POST:
                signup = get_object_or_404(MeetingSignup, pk=request.POST["venue"])
                meetings.choose_venue(meeting, signup)
                self.message_user(request, _("The venue has been chosen and announced."))
            elif "online_url" in request.POST:
                meetings.switch_to_online(meeting, request.POST["online_url"].strip())
                self.message_user(
                    request, _("The meeting is online; everyone signed up has the link.")
                )
            elif "invite" in request.POST:
                sent = meetings.invite_schools(meeting)
                self.message_user(request, _("Invitations sent: %(count)d") % {"count": sent})
        except RegistrationRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)


class MeetingAttendeeInline(admin.TabularInline[MeetingAttendee, MeetingSignup]):
    model = MeetingAttendee
    extra = 0


@admin.register(MeetingSignup)
class MeetingSignupAdmin(admin.ModelAdmin[MeetingSignup]):
    list_display = ["meeting", "school", "contact_name", "room_offered", "cancelled_at"]
    list_filter = ["meeting__region"]
    search_fields = ["school__name", "contact_name"]
    readonly_fields = ["meeting", "school", "created_at", "updated_at", "cancelled_at"]
    inlines = [MeetingAttendeeInline]


class SessionDayInline(admin.TabularInline[SessionDay, TrainingSession]):
    model = SessionDay
    extra = 1
    min_num = 1


class TrainingSessionInline(admin.TabularInline[TrainingSession, Training]):
    model = TrainingSession
    extra = 0
    fields = ["starts_at", "ends_at", "venue", "capacity", "signup_deadline"]
    show_change_link = True


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin[Training]):
    list_display = ["title", "price_per_day", "is_published"]
    search_fields = ["title"]
    inlines = [TrainingSessionInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin[TrainingSession]):
    list_display = ["__str__", "venue", "capacity", "confirmed", "waiting", "overview_link"]
    list_filter = ["training"]
    inlines = [SessionDayInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingSession]:
        confirmed = Count(
            "participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)
        )
        waiting = Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING))
        queryset = super().get_queryset(request).select_related("training")
        return queryset.prefetch_related("days").annotate(
            confirmed_count=confirmed, waiting_count=waiting
        )

    @admin.display(description=gettext_lazy("confirmed"))
    def confirmed(self, session: TrainingSession) -> int:
        return int(getattr(session, "confirmed_count", 0))

    @admin.display(description=gettext_lazy("waiting"))
    def waiting(self, session: TrainingSession) -> int:
        return int(getattr(session, "waiting_count", 0))

    @admin.display(description=gettext_lazy("overview"))
    def overview_link(self, session: TrainingSession) -> str:
        url = reverse("admin:events_trainingsession_overview", args=[session.pk])
        return format_html('<a href="{}">{}</a>', url, _("Participants and invoicing"))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A raised capacity gives waiting participants their place straight away.
        promoted = trainings.fill_free_places(form.instance)
        if promoted:
            self.message_user(
                request, _("Moved up from the waiting list: %(count)d") % {"count": len(promoted)}
            )

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        own = [
            path(
                "<int:pk>/overview/",
                view(self.overview_view),
                name="events_trainingsession_overview",
            ),
            path(
                "<int:pk>/participants.<str:kind>",
                view(self.export_view),
                name="events_trainingsession_export",
            ),
        ]
        return own + super().get_urls()

    def overview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show registrations and participants per school, attendance and amounts to invoice."""
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, session):
            return redirect("admin:index")
        if request.method == "POST":
            attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
            trainings.record_attendance(session, attended)
            self.message_user(request, _("Attendance has been saved."))
            return redirect("admin:events_trainingsession_overview", pk=pk)

        lines = selectors.invoice_lines(session)
        context = {
            **self.admin_site.each_context(request),
            "title": str(session),
            "session": session,
            "participants": selectors.session_participants(session),
            "invoice_lines": lines,
            "invoice_total": sum((line.amount for line in lines), Decimal("0")),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "events/admin/session_overview.html", context)

    def export_view(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        """Download the participant list as CSV or XLSX."""
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, session):
            return redirect("admin:index")
        filename = f"deelnemers-sessie-{session.pk}"
        if kind == "csv":
            response = HttpResponse(
                "\ufeff" + exports.participants_csv(session), content_type="text/csv; charset=utf-8"
            )
        elif kind == "xlsx":
            response = HttpResponse(
                exports.participants_xlsx(session),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            return HttpResponse(status=404)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
        return response


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin[Participant]):
    list_display = ["name", "email", "school", "session", "status", "attended"]
    list_filter = ["status", "session__training"]
    search_fields = ["name", "email", "registration__school__name"]
    readonly_fields = [
        "registration",
        "session",
        "status",
        "registered_at",
        "confirmed_at",
        "cancelled_at",
    ]
    actions = ["cancel_participants"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participant]:
        return super().get_queryset(request).select_related("registration__school", "session")

    @admin.display(description=gettext_lazy("school"))
    def school(self, participant: Participant) -> str:
        return participant.registration.school.name

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Participants come in through a registration, which checks capacity and duplicates.
        return False

    @admin.action(description=gettext_lazy("Cancel the selected participants"))
    def cancel_participants(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        cancelled = 0
        for participant in queryset.exclude(status=ParticipantStatus.CANCELLED):
            try:
                trainings.cancel_participant(participant)
            except RegistrationRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                cancelled += 1
        self.message_user(request, _("Participants cancelled: %(count)d") % {"count": cancelled})
