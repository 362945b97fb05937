"""The two commands of the README: ``./dev run`` and ``./dev test``.

``run`` migrates, loads the demo data and serves the site with a Celery worker and beat.
``test`` runs the quality gates (ruff, mypy, Django's checks) and then the whole pytest
suite. Both find or start PostgreSQL and Redis through ``devtools.services``.
"""

import os
import signal
import subprocess
import sys
import time

from devtools.services import ROOT, database_url, redis_url

PYTHON = sys.executable
# The production settings must pass Django's deployment checks (security warnings fail).
PRODUCTION_CHECK_ENV = [
    "env",
    "DJANGO_SETTINGS_MODULE=config.settings.production",
    "SECRET_KEY=deploy-check-only-this-is-not-a-real-secret-key-0123456789",
    "ALLOWED_HOSTS=.presentis.nl",
]
DEPLOY_CHECK_ARGS = ["--tag", "security", "--fail-level", "WARNING"]


def main(argv: list[str]) -> int:
    """Dispatch to ``run`` or ``test``."""
    if not argv or argv[0] not in {"run", "test"}:
        print("usage: ./dev run | ./dev test [pytest arguments]", file=sys.stderr)
        return 2
    return run(argv[1:]) if argv[0] == "run" else test(argv[1:])


def run(args: list[str]) -> int:
    """Migrate, seed the demo data and serve the site with a worker and beat."""
    env = _environment(prefer_local=False, settings="config.settings.dev", redis_db=0)
    port = args[0] if args else "8000"
    _step(env, [PYTHON, "manage.py", "migrate", "--noinput"])
    _step(env, [PYTHON, "manage.py", "seed_demo"])

    processes = [
        subprocess.Popen([PYTHON, "manage.py", "runserver", f"0.0.0.0:{port}"], env=env),
        subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "config", "worker", "-l", "info", "-c", "2"], env=env
        ),
        subprocess.Popen([PYTHON, "-m", "celery", "-A", "config", "beat", "-l", "info"], env=env),
    ]
    print(f"\nPresentis runs on http://localhost:{port}/ (see README for logins). Ctrl-C stops.")
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        process.wait(timeout=30)
    return 0


def test(args: list[str]) -> int:
    """Run ruff, mypy, Django's checks and pytest; stop at the first failing gate."""
    env = _environment(prefer_local=True, settings="config.settings.test", redis_db=15)
    bin_dir = os.path.dirname(PYTHON)
    gates = [
        [os.path.join(bin_dir, "ruff"), "check", "."],
        [os.path.join(bin_dir, "ruff"), "format", "--check", "."],
        [os.path.join(bin_dir, "mypy"), "."],
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        [PYTHON, "manage.py", "check"],
        [*PRODUCTION_CHECK_ENV, PYTHON, "manage.py", "check", "--deploy", *DEPLOY_CHECK_ARGS],
    ]
    for gate in gates:
        print("$", " ".join(os.path.basename(part) for part in gate[:3]), flush=True)
        result = subprocess.run(gate, env=env, cwd=ROOT)
        if result.returncode != 0:
            return result.returncode
    return subprocess.run([PYTHON, "-m", "pytest", *args], env=env, cwd=ROOT).returncode


def _environment(prefer_local: bool, settings: str, redis_db: int) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url(prefer_local)
    env["REDIS_URL"] = redis_url(prefer_local, redis_db)
    env.setdefault("DJANGO_SETTINGS_MODULE", settings)
    return env


def _step(env: dict[str, str], command: list[str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
