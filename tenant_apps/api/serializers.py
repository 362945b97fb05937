"""What the teacher app sends and receives."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tenant_apps.logbook.models import Category

MAX_MARKS = 200


class TokenRequestSerializer(serializers.Serializer[dict[str, str]]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    device = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TokenSerializer(serializers.Serializer[dict[str, str]]):
    token = serializers.CharField()


class GroupSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    location = serializers.CharField(source="location.name", allow_null=True, default=None)
    year_group = serializers.CharField(source="year_group.name", allow_null=True, default=None)
    member_count = serializers.IntegerField()
    guest_count = serializers.IntegerField()
    is_mentor = serializers.BooleanField()


class AbsenceBriefSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    period = serializers.IntegerField(source="period.number", allow_null=True, default=None)
    code = serializers.CharField(source="code.code")
    authorised = serializers.BooleanField(source="code.is_authorised")


class GroupStudentSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    student_number = serializers.CharField()
    is_guest = serializers.BooleanField()
    location = serializers.CharField()
    photo_url = serializers.CharField(help_text="A placeholder until photos are stored.")
    absences = AbsenceBriefSerializer(many=True)


class AbsenceCodeSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    is_authorised = serializers.BooleanField()
    counts_as_lesson_hours = serializers.BooleanField()


class MarkSerializer(serializers.Serializer[dict[str, object]]):
    student = serializers.IntegerField()
    code = serializers.CharField(
        allow_null=True, help_text="An absence code, or null for present (removes one)."
    )


class RegistrationSerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    period = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="Lesson period number; null for the whole day."
    )
    marks = MarkSerializer(many=True, allow_empty=False)

    def validate_marks(self, marks: list[dict[str, object]]) -> list[dict[str, object]]:
        if len(marks) > MAX_MARKS:
            raise serializers.ValidationError(
                _("At most %(max)d students per request.") % {"max": MAX_MARKS}
            )
        return marks


class RegistrationResultSerializer(serializers.Serializer[dict[str, int]]):
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    removed = serializers.IntegerField()


class LogbookEntryRequestSerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField(max_length=5000)


class LogbookEntrySerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    date = serializers.DateField()
    category = serializers.CharField()
    text = serializers.CharField()
    author_name = serializers.CharField()


class NoticeSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


def error_detail(messages: list[str]) -> dict[str, list[str]]:
    return {"detail": messages or [str(_("The request could not be processed."))]}


class LessonSerializer(serializers.Serializer[object]):
    """One lesson of the published timetable on a day."""

    id = serializers.IntegerField(source="pk")
    period = serializers.IntegerField()
    periods = serializers.IntegerField(source="duration")
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    subject = serializers.CharField(source="subject_name")
    subject_code = serializers.CharField()
    group_id = serializers.IntegerField(allow_null=True)
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    room = serializers.CharField(source="room.name", allow_null=True, default=None)
    location = serializers.CharField(source="location.name", allow_null=True, default=None)
