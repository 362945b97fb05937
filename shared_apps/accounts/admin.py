from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from shared_apps.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Presentis staff accounts; the admin is served on the public domain only."""
