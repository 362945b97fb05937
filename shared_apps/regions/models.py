"""Provinces, a small, stable public table that school rows may point to, and regions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE_NAMES = (
    "Groningen",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
)


class Province(models.Model):
    """One of the twelve Dutch provinces."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A region for meetings, named by its towns (e.g. "Hengelo, Enschede")."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regions", verbose_name=_("province")
    )
    # Schools have a province but no region; staff link the schools that belong here.
    schools = models.ManyToManyField(
        "tenants.School", blank=True, related_name="regions", verbose_name=_("schools")
    )

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name
