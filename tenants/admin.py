"""The staff back office for schools: create, suspend, reactivate, domains and contacts."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tenants.utils import get_public_schema_name

from tenants import provisioning
from tenants.models import ContactPerson, Domain, School, SchoolStatus


class DomainInline(admin.TabularInline[Domain, School]):
    model = Domain
    extra = 0


class ContactPersonInline(admin.TabularInline[ContactPerson, School]):
    model = ContactPerson
    extra = 0


class SchoolCreationForm(forms.ModelForm[School]):
    """The fields needed to provision a new school in one step."""

    domain = forms.CharField(label=_("domain"), help_text=_("For example delinde.presentis.nl"))
    admin_username = forms.CharField(label=_("username of the first administrator"))
    admin_email = forms.EmailField(label=_("e-mail address of the first administrator"))
    contact_name = forms.CharField(label=_("contact person"), required=False)
    contact_email = forms.EmailField(label=_("e-mail address of the contact"), required=False)

    class Meta:
        model = School
        fields = ["name", "brin", "branch_number", "province", "status"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin[School]):
    list_display = ["name", "branch_code", "province", "status", "schema_name", "created_at"]
    list_filter = ["status", "province"]
    search_fields = ["name", "brin", "domains__domain"]
    actions = ["suspend_schools", "reactivate_schools"]
    readonly_fields = ["schema_name", "created_at"]
    fields = ["name", "brin", "branch_number", "province", "status", "schema_name", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[School]:
        # The public site is a tenant row too, but not a school staff should manage here.
        return super().get_queryset(request).exclude(schema_name=get_public_schema_name())

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = SchoolCreationForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [
                "name",
                "brin",
                "branch_number",
                "province",
                "status",
                "domain",
                "admin_username",
                "admin_email",
                "contact_name",
                "contact_email",
            ]
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return [DomainInline, ContactPersonInline] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: School, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        contacts: tuple[provisioning.ContactData, ...] = ()
        if data.get("contact_name") and data.get("contact_email"):
            contacts = (provisioning.ContactData(data["contact_name"], data["contact_email"]),)
        school = provisioning.do_create_school(
            name=obj.name,
            brin=obj.brin,
            branch_number=obj.branch_number,
            province=obj.province,
            status=obj.status,
            domain=data["domain"],
            admin=provisioning.AdminData(data["admin_username"], data["admin_email"]),
            contacts=contacts,
        )
        obj.pk = school.pk
        obj.schema_name = school.schema_name
        obj._state.adding = False

    @admin.action(description=_("Suspend the selected schools"))
    def suspend_schools(self, request: HttpRequest, queryset: QuerySet[School]) -> None:
        self._set_status(request, queryset, SchoolStatus.SUSPENDED)

    @admin.action(description=_("Reactivate the selected schools"))
    def reactivate_schools(self, request: HttpRequest, queryset: QuerySet[School]) -> None:
        self._set_status(request, queryset, SchoolStatus.ACTIVE)

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[School], status: SchoolStatus
    ) -> None:
        schools = list(queryset)
        for school in schools:
            provisioning.do_set_school_status(school, status)
        message = ngettext(
            "%(count)d school is now %(status)s.",
            "%(count)d schools are now %(status)s.",
            len(schools),
        ) % {"count": len(schools), "status": status.label}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin[ContactPerson]):
    list_display = ["name", "email", "role", "school"]
    search_fields = ["name", "email", "school__name"]
    list_filter = ["school"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain", "tenant__name"]
