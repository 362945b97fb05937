"""``manage.py create_school``: provision a school with its domain and first administrator."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shared_apps.regions.models import Province
from tenants import provisioning
from tenants.models import SchoolStatus


class Command(BaseCommand):
    help = "Create a school: its schema (cloned from the template), domain and first admin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--brin", required=True, help="four characters, e.g. 02QZ")
        parser.add_argument("--branch", default="00", help="two digits, default 00")
        parser.add_argument("--province", help="province name, e.g. Overijssel")
        parser.add_argument("--domain", required=True, help="host name of the school's site")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument(
            "--admin-password",
            help="set this password; without it the admin gets a link to choose one",
        )
        parser.add_argument("--contact", nargs=2, action="append", metavar=("NAME", "EMAIL"))
        parser.add_argument("--active", action="store_true", help="mark the school active")
        parser.add_argument("--method", choices=["clone", "migrate"], default="clone")

    def handle(self, *args: Any, **options: Any) -> None:
        province = None
        if options["province"]:
            province = Province.objects.filter(name=options["province"]).first()
            if province is None:
                raise CommandError(f"unknown province {options['province']!r}")
        contacts = tuple(
            provisioning.ContactData(name, email) for name, email in options["contact"] or []
        )
        try:
            school = provisioning.do_create_school(
                name=options["name"],
                brin=options["brin"].upper(),
                branch_number=options["branch"],
                province=province,
                domain=options["domain"],
                admin=provisioning.AdminData(
                    options["admin_username"], options["admin_email"], options["admin_password"]
                ),
                contacts=contacts,
                status=SchoolStatus.ACTIVE if options["active"] else SchoolStatus.ONBOARDING,
                method=options["method"],
            )
        except (provisioning.ProvisioningError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {school.name} in schema {school.schema_name}")
        )
