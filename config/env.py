"""Read the process environment into typed values for the settings modules.

Every setting that differs between machines comes from an environment variable, read
here and nowhere else. Settings modules call these helpers; application code reads
``django.conf.settings`` only.
"""

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str = "") -> str:
    """Return the variable ``name`` or ``default`` when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return the variable ``name`` read as a boolean (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return the variable ``name`` as an integer."""
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated variable ``name`` as a list of stripped items."""
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseUrl:
    """The parts of a ``postgresql://`` URL that Django's DATABASES needs."""

    name: str
    user: str
    password: str
    host: str
    port: str

    def as_django(self, engine: str) -> dict[str, object]:
        """Return the dictionary for one entry of ``DATABASES``."""
        return {
            "ENGINE": engine,
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
            "CONN_MAX_AGE": 0,
        }


def parse_database_url(url: str) -> DatabaseUrl:
    """Split a PostgreSQL URL, including the ``?host=/socket/dir`` form of pgserver."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError("DATABASE_URL must start with postgresql://")
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    return DatabaseUrl(
        name=unquote(parsed.path.lstrip("/")) or "presentis",
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password or ""),
        host=host,
        port=str(parsed.port or ""),
    )


def celery_broker_url(redis_url: str) -> str:
    """Return the Celery form of a Redis URL (``unix://`` becomes ``redis+socket://``)."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url
