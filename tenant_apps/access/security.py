"""Login security of a school: lockout after failed logins and TOTP two-step login.

Lockout state lives in the school's own schema, so failures at one school never lock
an account name at another. Two-step login is required for a user when one of their
roles requires it, or when the user has set up an authenticator of their own accord.
"""

import datetime
import logging

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.access.models import LoginThrottle, TwoFactorDevice
from tenant_apps.access.services import security_settings, user_roles

logger = logging.getLogger(__name__)

ISSUER = "Presentis"
TOTP_STEP_SECONDS = 30


# --- Lockout ------------------------------------------------------------------------------


def _throttle_key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Return until when logins for ``username`` are refused, or None when they are not."""
    now = now or timezone.now()
    throttle = LoginThrottle.objects.filter(username=_throttle_key(username)).first()
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= now:
        return None
    return throttle.locked_until


@transaction.atomic
def do_record_failed_login(username: str, now: datetime.datetime | None = None) -> bool:
    """Count a failed login for ``username``; return True when this failure locks it."""
    now = now or timezone.now()
    settings = security_settings()
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=_throttle_key(username)
    )
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failures = 0  # a lockout that ran out starts a fresh count
        throttle.locked_until = None
    throttle.failures += 1
    throttle.save(update_fields=["failures", "locked_until"])

    if throttle.failures < settings.max_failed_logins:
        return False
    throttle.locked_until = now + datetime.timedelta(minutes=settings.lockout_minutes)
    throttle.save(update_fields=["locked_until"])
    logger.warning("login locked after repeated failures", extra={"throttle": throttle.pk})
    return True


def do_clear_failed_logins(username: str) -> None:
    """Forget the failed logins of ``username`` after a successful login."""
    LoginThrottle.objects.filter(username=_throttle_key(username)).delete()


# --- Two-step login (TOTP, RFC 6238) ------------------------------------------------------


def two_factor_required(user: User) -> bool:
    """Return whether ``user`` must give a code after the password."""
    if any(role.requires_two_factor for role in user_roles(user)):
        return True
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def has_confirmed_device(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def do_start_device_setup(user: User) -> TwoFactorDevice:
    """Give ``user`` an unconfirmed authenticator secret (a new one on every start)."""
    if has_confirmed_device(user):
        raise ValueError("the user already has a confirmed authenticator")
    device, _created = TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "last_used_step": 0},
    )
    return device


def provisioning_uri(device: TwoFactorDevice, school_name: str) -> str:
    """Return the ``otpauth://`` link an authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=f"{ISSUER} {school_name}"
    )


def qr_code_svg(uri: str) -> str:
    """Return the QR code of ``uri`` as inline SVG markup."""
    return segno.make(uri, error="m").svg_inline(scale=4)


@transaction.atomic
def do_verify_code(user: User, code: str, now: datetime.datetime | None = None) -> bool:
    """Check a code against the user's authenticator and confirm the device on success.

    A code is accepted for the current 30-second step and one step either side (clock
    drift), and only once: a step at or before the last one used is refused, so a code
    seen over someone's shoulder cannot be replayed.
    """
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    code = code.strip().replace(" ", "")
    if device is None or not code.isdigit():
        return False
    now = now or timezone.now()
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > device.last_used_step and totp.verify(
            code, for_time=step * TOTP_STEP_SECONDS, valid_window=0
        ):
            device.last_used_step = step
            device.confirmed_at = device.confirmed_at or now
            device.save(update_fields=["last_used_step", "confirmed_at"])
            return True
    return False


def do_remove_device(user: User) -> None:
    """Remove ``user``'s authenticator (the administrator resets a lost phone)."""
    TwoFactorDevice.objects.filter(user=user).delete()
