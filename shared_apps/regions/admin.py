from django.contrib import admin

from shared_apps.regions.models import Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["name"]
