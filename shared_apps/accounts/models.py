"""The user model, installed in the public schema and in every school schema.

The same table exists in each schema: a row in ``public`` is a Presentis staff member, a
row in a school's schema is a user of that school only. A user therefore cannot sign in
on another school's domain: the other schema has no such row.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in, either Presentis staff (public) or school staff (school)."""

    email = models.EmailField(_("email address"), blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username
