"""Render the Presentis chart and pick manifests out of the result, for the chart tests."""

import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "presentis"
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
RELEASE = "presentis"
NAMESPACE = "presentis"

Manifest = dict[str, Any]


class RenderError(Exception):
    """Raised when ``helm template`` refuses the values."""


def render(helm: Path, values: Path, *settings: str) -> list[Manifest]:
    """Return the manifests ``helm template`` renders with ``values`` and ``--set`` pairs."""
    command = [str(helm), "template", RELEASE, str(CHART), "--namespace", NAMESPACE]
    command += ["--values", str(values)]
    for setting in settings:
        command += ["--set", setting]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RenderError(result.stderr.strip())
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    """Return the manifests of one ``kind``."""
    return [manifest for manifest in manifests if manifest["kind"] == kind]


def named(manifests: list[Manifest], kind: str, suffix: str) -> Manifest:
    """Return the one manifest of ``kind`` whose name ends with ``suffix``."""
    matches = [m for m in of_kind(manifests, kind) if m["metadata"]["name"].endswith(suffix)]
    assert len(matches) == 1, f"expected one {kind} named *{suffix}, found {len(matches)}"
    return matches[0]


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    """Return every manifest that runs Presentis pods (Deployments and Jobs)."""
    return [m for m in manifests if m["kind"] in {"Deployment", "Job"}]


def pod_spec(workload: Manifest) -> dict[str, Any]:
    """Return the pod spec of a Deployment or Job."""
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def container(workload: Manifest, name: str) -> dict[str, Any]:
    """Return the container called ``name`` of a workload."""
    matches = [c for c in pod_spec(workload)["containers"] if c["name"] == name]
    assert len(matches) == 1, f"{workload['metadata']['name']} has no container {name}"
    return matches[0]
