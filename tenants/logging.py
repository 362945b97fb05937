"""Log filters: every record names its school schema and carries no personal data."""

import logging
import re

from django.db import connection

# Nine digits in a row look like a BSN; an address with @ looks like an e-mail address.
BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)")
EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class SchoolSchemaFilter(logging.Filter):
    """Add ``schema_name`` (the school, or ``public``) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.schema_name = getattr(connection, "schema_name", "-") or "-"
        return True


class RedactPersonalDataFilter(logging.Filter):
    """Mask BSN-like numbers and e-mail addresses that slipped into a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def redact_text(text: str) -> str:
    """Return ``text`` with BSN-like numbers and e-mail addresses masked."""
    return EMAIL_LIKE.sub("[e-mail]", BSN_LIKE.sub("[nummer]", text))
