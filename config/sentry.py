"""Error tracking with Sentry, started only when ``SENTRY_DSN`` is set.

Events leave the process only after :func:`scrub_event` has removed personal data: the
request body, cookies and headers, user details except the id, local variables, values
under keys that name personal fields, and BSN-like numbers or e-mail addresses in any
remaining string. Schools trust us with children's files; an error report is no
exception to that.
"""

import re
from collections.abc import Mapping
from typing import Any, cast

from tenants.logging import redact_text

# A key names a personal field when one of its words is one of these.
PERSONAL_KEYS = re.compile(
    r"(^|[_\-])(name|names|naam|voornaam|achternaam|bsn|address|adres|street|straat|"
    r"postal|postcode|zipcode|city|plaats|phone|telefoon|email|mail|birth|birthdate|"
    r"geboortedatum|note|notes|notitie|text|tekst|description|omschrijving|comment|"
    r"password|token|secret|cookie|cookies|session|authorization)([_\-]|$)",
    re.IGNORECASE,
)
# Technical keys and subtrees that hold no personal data and keep an event useful.
SAFE_KEYS = {"schema_name", "server_name", "sdk", "contexts", "modules", "stacktrace"}
# Quoted values and PostgreSQL's "Key (column)=(value)" details in messages.
QUOTED_VALUE = re.compile(r"'[^']*'|\"[^\"]*\"|=\([^)]*\)")
FILTERED = "[verwijderd]"


def init_sentry(dsn: str, environment: str) -> bool:
    """Start the Sentry SDK when ``dsn`` is set; return whether it was started."""
    if not dsn:
        return False

    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        # Collect no user identity, cookies, headers, bodies, query values, SQL parameters,
        # queue payloads or frame variables (this replaces send_default_pii=False).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # The SDK's own event types are private; our hooks take and return plain dicts.
        before_send=cast(Any, scrub_event),
        before_breadcrumb=cast(Any, scrub_breadcrumb),
    )
    return True


def scrub_event(event: dict[str, Any], hint: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return ``event`` with personal data removed; it is changed in place as well."""
    request = event.get("request")
    if isinstance(request, dict):
        for part in ("data", "cookies", "headers", "query_string", "env"):
            if part in request:
                request[part] = FILTERED
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values", []) or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = _mask_quoted(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
        for part in ("message", "formatted"):
            if isinstance(logentry.get(part), str):
                logentry[part] = _mask_quoted(logentry[part])
    scrubbed = _scrub_value(event)
    assert isinstance(scrubbed, dict)
    return scrubbed


def scrub_breadcrumb(
    crumb: dict[str, Any], hint: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """Return the breadcrumb with personal data removed (SQL parameters included)."""
    scrubbed = _scrub_value(crumb)
    assert isinstance(scrubbed, dict)
    return scrubbed


def _mask_quoted(text: str) -> str:
    return QUOTED_VALUE.sub(FILTERED, text)


def _scrub_value(value: Any, key: str = "") -> Any:
    if key in SAFE_KEYS:
        return value
    if key and PERSONAL_KEYS.search(key) and not isinstance(value, dict | list):
        return FILTERED
    if isinstance(value, dict):
        return {k: _scrub_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value
