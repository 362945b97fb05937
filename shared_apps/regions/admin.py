from django.contrib import admin

from shared_apps.regions.models import Province, Region


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]
    filter_horizontal = ["schools"]
