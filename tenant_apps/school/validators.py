"""Checks of Dutch personal numbers and the ECK iD."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ECK_ID_PREFIX = "https://ketenid.nl/201703/"
_ECK_ID = re.compile(r"https://ketenid\.nl/201703/[0-9a-f]{128}")
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _weighted_remainder(number: str) -> int | None:
    """Return the eleven-test remainder of a nine-digit number, or None if malformed."""
    if len(number) != 9 or not number.isdigit():
        return None
    return sum(int(digit) * weight for digit, weight in zip(number, _WEIGHTS, strict=True)) % 11


def passes_eleven_test(number: str) -> bool:
    """Return whether a nine-digit BSN passes the eleven test (weights 9..2 and -1)."""
    return number != "000000000" and _weighted_remainder(number) == 0


def is_education_number(number: str) -> bool:
    """Return whether ``number`` is a well-formed education number (onderwijsnummer).

    DUO hands these out to students without a BSN: nine digits starting with 10, with the
    BSN weights giving remainder 5 instead of 0, so the two sets never overlap.
    """
    return number.startswith("10") and _weighted_remainder(number) == 5


def validate_bsn(value: str) -> None:
    """Raise a ValidationError unless ``value`` is a well-formed BSN."""
    if not passes_eleven_test(value):
        raise ValidationError(_("This is not a valid BSN (eleven test)."), code="invalid_bsn")


def validate_education_number(value: str) -> None:
    """Raise a ValidationError unless ``value`` is a well-formed education number."""
    if not is_education_number(value):
        raise ValidationError(
            _("This is not a valid education number (nine digits starting with 10)."),
            code="invalid_education_number",
        )


def validate_eck_id(value: str) -> None:
    """Raise a ValidationError unless ``value`` is an ECK iD (prefix plus 128 hex digits)."""
    if not _ECK_ID.fullmatch(value):
        raise ValidationError(
            _("An ECK iD is %(prefix)s followed by 128 lower-case hexadecimal characters."),
            code="invalid_eck_id",
            params={"prefix": ECK_ID_PREFIX},
        )
