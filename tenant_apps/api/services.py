"""Issuing and revoking teacher app tokens."""

import logging
import secrets

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from tenant_apps.access.services import user_roles
from tenant_apps.api.authentication import hash_key
from tenant_apps.api.models import ApiToken

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


def do_issue_token(user: User, name: str = "") -> str:
    """Create a token for ``user`` and return its key; only its hash is stored."""
    key = secrets.token_urlsafe(TOKEN_BYTES)
    ApiToken.objects.create(user=user, key_hash=hash_key(key), prefix=key[:8], name=name[:100])
    logger.info("api token issued", extra={"user_id": user.pk})
    return key


def check_credentials_and_issue_token(
    request: HttpRequest, username: str, password: str, name: str = ""
) -> str:
    """Check a user's password at this school and return a new token.

    Users whose role asks for a second factor get no token this way: the app would
    otherwise be a way around it.
    """
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise PermissionDenied(_("Unknown user name or wrong password."))
    # TODO: let these users pair the app from a signed-in web session (QR code) once the
    # two-step login offers it; until then they cannot use the app.
    if any(role.requires_two_factor for role in user_roles(user)):
        raise PermissionDenied(_("Your role requires two-step login; the app cannot offer it yet."))
    return do_issue_token(user, name)


def do_revoke_tokens(user: User) -> int:
    """Remove all of ``user``'s tokens; return how many there were."""
    deleted, _details = ApiToken.objects.filter(user=user).delete()
    return deleted
