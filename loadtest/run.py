"""``python -m loadtest.run``: the morning-rush load test against a local server.

1. Prepares teachers with app tokens in every school of the database (run
   ``manage.py seed_demo`` first for three demo schools).
2. Starts gunicorn on 127.0.0.1 with the development settings and DEBUG off.
3. Runs locust headless against it and prints requests per second and latency
   percentiles per endpoint and overall, then stops the server.

Use a database of your own (``DATABASE_URL``): the test writes absence for today.
"""

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers-per-school", type=int, default=20)
    parser.add_argument("--users", type=int, default=60, help="simultaneous teachers")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "false"
    workdir = Path(tempfile.mkdtemp(prefix="presentis-loadtest-"))
    logins = workdir / "logins.json"
    _prepare(args.teachers_per_school, logins)

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.duration,
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(workdir / "rush"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "LOADTEST_LOGINS": str(logins)},
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(workdir / "rush_stats.csv", args)


def _prepare(teachers_per_school: int, out: Path) -> None:
    import django

    django.setup()
    from loadtest.prepare import prepare

    logins = prepare(teachers_per_school, out)
    schools = len({login["host"] for login in logins})
    print(f"{len(logins)} teachers with tokens in {schools} schools")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start within 60 s")


def _report(stats: Path, args: argparse.Namespace) -> None:
    print(
        f"\n{args.users} teachers, {args.workers} gunicorn workers, {args.duration}, "
        f"{os.cpu_count()} CPU cores shared with the load generator"
    )
    columns = ("requests", "failures", "req/s", "p50 ms", "p95 ms", "p99 ms")
    print(f"{'endpoint':24} " + " ".join(f"{column:>8}" for column in columns))
    with stats.open() as handle:
        for row in csv.DictReader(handle):
            print(
                f"{row['Name']:24} {row['Request Count']:>8} {row['Failure Count']:>8} "
                f"{float(row['Requests/s']):8.1f} {row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
            )


if __name__ == "__main__":
    main()
