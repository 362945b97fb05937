"""Changes of state for provinces and regions."""

from shared_apps.regions.models import PROVINCE_NAMES, Province


def ensure_provinces() -> list[Province]:
    """Create the twelve provinces where missing and return them in the official order."""
    existing = {province.name: province for province in Province.objects.all()}
    missing = [Province(name=name) for name in PROVINCE_NAMES if name not in existing]
    Province.objects.bulk_create(missing)
    existing.update({province.name: province for province in Province.objects.all()})
    return [existing[name] for name in PROVINCE_NAMES]
