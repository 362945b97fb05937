"""Checks of Dutch personal numbers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def passes_eleven_test(number: str) -> bool:
    """Return whether a nine-digit BSN passes the eleven test (weights 9..2 and -1)."""
    if len(number) != 9 or not number.isdigit() or number == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(number, weights, strict=True))
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    """Raise a ValidationError unless ``value`` is a well-formed BSN."""
    if not passes_eleven_test(value):
        raise ValidationError(_("This is not a valid BSN (eleven test)."), code="invalid_bsn")
