"""``manage.py seed_demo``: provinces, the public site, three demo schools. Idempotent."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shared_apps.accounts.models import User
from shared_apps.regions.services import ensure_provinces
from tenant_apps.access import demo as access_demo
from tenant_apps.school.demo import DemoSpec, populate_school
from tenants import provisioning
from tenants.context import school_schema
from tenants.models import School, SchoolStatus
from tenants.public import ensure_public_site

DEMO_PASSWORD = "presentis-demo"

DEMO_SCHOOLS = (
    {
        "name": "De Linde VSO",
        "brin": "02QZ",
        "province": "Overijssel",
        "subdomain": "delinde",
        "locations": (("Hengelo Centrum", "Hengelo"), ("Enschede Werkplaats", "Enschede")),
        "seed": 11,
    },
    {
        "name": "Praktijkschool Het Anker",
        "brin": "05KL",
        "province": "Zuid-Holland",
        "subdomain": "hetanker",
        "locations": (
            ("Delft Hoofdgebouw", "Delft"),
            ("Den Haag Keuken", "Den Haag"),
            ("Rijswijk Sporthal", "Rijswijk"),
        ),
        "seed": 22,
    },
    {
        "name": "SO/VSO De Horizon",
        "brin": "07MN",
        "province": "Limburg",
        "subdomain": "dehorizon",
        "locations": (("Heerlen", "Heerlen"), ("Geleen", "Geleen")),
        "seed": 33,
    },
)


class Command(BaseCommand):
    help = "Load demo data: provinces, the public site, staff login and three schools."

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = {province.name: province for province in ensure_provinces()}
        public_domain: str = settings.PUBLIC_DOMAIN
        ensure_public_site(public_domain)
        self._ensure_staff_user()

        for spec in DEMO_SCHOOLS:
            domain = f"{spec['subdomain']}.{public_domain}"
            school = School.objects.filter(brin=spec["brin"]).first()
            if school is None:
                school = provisioning.do_create_school(
                    name=str(spec["name"]),
                    brin=str(spec["brin"]),
                    branch_number="00",
                    province=provinces[str(spec["province"])],
                    domain=domain,
                    admin=provisioning.AdminData(
                        "beheerder", "beheerder@school.invalid", DEMO_PASSWORD
                    ),
                    contacts=(provisioning.ContactData("Contactpersoon", f"contact@{domain}"),),
                    status=SchoolStatus.ACTIVE,
                )
            with school_schema(school):
                created = populate_school(
                    DemoSpec(seed=int(str(spec["seed"])), locations=spec["locations"])  # type: ignore[arg-type]
                )
                access_demo.seed()
            state = "filled" if created else "already there"
            self.stdout.write(f"{school.name}: http://{domain}:8000/ ({state})")

    def _ensure_staff_user(self) -> None:
        if not User.objects.filter(username="presentis").exists():
            User.objects.create_superuser("presentis", "staff@presentis.invalid", DEMO_PASSWORD)
