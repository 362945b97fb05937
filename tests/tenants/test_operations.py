"""Health endpoints, the Sentry scrubber and log filters."""

import logging

import pytest
from django.test import Client, override_settings

from config.sentry import init_sentry, scrub_event
from tenants.logging import RedactPersonalDataFilter, SchoolSchemaFilter


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["localhost", "school-a.localhost", "10.1.2.3", "onbekend"])
def test_health_endpoints_answer_on_every_host(host: str) -> None:
    client = Client(HTTP_HOST=host)

    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "redis": True}


@pytest.mark.django_db
def test_readiness_fails_when_redis_is_unreachable() -> None:
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = Client(HTTP_HOST="localhost").get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] is False


def test_scrubber_removes_personal_data_from_an_event() -> None:
    event = {
        "message": "Import failed for BSN 123456782 (mail: ouder@example.nl)",
        "request": {
            "url": "https://delinde.presentis.nl/leerlingen/",
            "data": {"first_name": "Sanne", "bsn": "123456782"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Authorization": "Token x"},
        },
        "user": {"id": 7, "username": "jdevries", "email": "j@example.nl"},
        "extra": {"last_name": "de Vries", "street": "Lindelaan 4", "count": 3},
        "tags": {"schema_name": "school_02qz00"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'Key (last_name)=(Jansen) already exists for "Sanne"',
                    "stacktrace": {
                        "frames": [{"filename": "x.py", "vars": {"student": "Sanne Jansen"}}]
                    },
                }
            ]
        },
    }

    scrubbed = scrub_event(event)
    text = repr(scrubbed)

    for personal in ("123456782", "ouder@example.nl", "Sanne", "Jansen", "de Vries", "Lindelaan"):
        assert personal not in text, personal
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["extra"]["count"] == 3
    assert scrubbed["tags"]["schema_name"] == "school_02qz00"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["filename"] == "x.py"


def test_sentry_starts_only_with_a_dsn_and_without_pii() -> None:
    import sentry_sdk

    assert init_sentry("", "test") is False

    assert init_sentry("https://key@sentry.invalid/1", "test") is True
    try:
        options = sentry_sdk.get_client().options
        assert options["data_collection"]["user_info"] is False
        assert options["data_collection"]["http_bodies"] == []
        assert options["data_collection"]["stack_frame_variables"] is False
        assert sentry_sdk.get_client().should_send_default_pii() is False
        assert options["before_send"] is scrub_event
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.init()


def test_log_records_carry_the_schema_and_no_personal_data() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "student %s mailed %s", ("123456782", "a@b.nl"), None
    )

    SchoolSchemaFilter().filter(record)
    RedactPersonalDataFilter().filter(record)

    assert record.schema_name == "public"  # type: ignore[attr-defined]
    assert "123456782" not in record.getMessage()
    assert "a@b.nl" not in record.getMessage()
