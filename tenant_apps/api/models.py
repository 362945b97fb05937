"""Tokens of the teacher app, kept in the school's own schema.

Only a hash of a token is stored; the token itself is shown once when it is made. A
token found in one school's schema means nothing on another school's domain, because
that school's schema has no such row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token that signs one user of this school in to the API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("hash of the key"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=8)
    name = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
