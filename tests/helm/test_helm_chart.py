"""The chart renders with every CI values file into valid, safe Kubernetes manifests."""

import base64
import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.helm.chart import (
    CHART,
    CI_VALUES,
    Manifest,
    RenderError,
    container,
    named,
    of_kind,
    pod_spec,
    render,
    workloads,
)

VALUES_NAMES = [values.name for values in CI_VALUES]
CHART_META = yaml.safe_load((CHART / "Chart.yaml").read_text())
# The oldest Kubernetes the chart admits (Chart.yaml kubeVersion) and the newest schemas.
KUBERNETES_VERSIONS = [
    re.search(r"\d+\.\d+\.\d+", CHART_META["kubeVersion"]).group(0),  # type: ignore[union-attr]
    kubernetes_validate.latest_version(),
]
# CloudNativePG's resources: no schema ships with kubernetes-validate; their fields are
# checked by test_cloudnativepg_uses_a_session_mode_pooler instead.
OPERATOR_KINDS = {("postgresql.cnpg.io/v1", "Cluster"), ("postgresql.cnpg.io/v1", "Pooler")}
CONFIG_DIR = CHART.parents[1] / "config"


def test_ci_values_cover_external_cloudnativepg_and_minimal() -> None:
    """The CI values files include the three installs the README describes."""
    assert {"external-values.yaml", "cloudnativepg-values.yaml", "minimal-values.yaml"} <= set(
        VALUES_NAMES
    )


@pytest.mark.parametrize("values", CI_VALUES, ids=VALUES_NAMES)
def test_helm_lint_is_clean(helm: Path, values: Path) -> None:
    """``helm lint --strict`` passes (warnings count as failures)."""
    result = subprocess.run(
        [str(helm), "lint", "--strict", str(CHART), "--values", str(values)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("values", VALUES_NAMES)
def test_every_manifest_is_valid_in_strict_mode(
    rendered: dict[str, list[Manifest]], values: str, version: str
) -> None:
    """Each manifest matches the Kubernetes schema; unknown fields are errors."""
    failures = []
    for manifest in rendered[values]:
        if (manifest["apiVersion"], manifest["kind"]) in OPERATOR_KINDS:
            continue
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            failures.append(f"{manifest['kind']}/{manifest['metadata']['name']}: {error}")
    assert failures == []


def test_strict_validation_rejects_a_misspelt_field(rendered: dict[str, list[Manifest]]) -> None:
    """The validator above would catch a typo: a control that it can fail."""
    deployment = copy.deepcopy(named(rendered["external-values.yaml"], "Deployment", "-web"))
    container(deployment, "web")["readinesProbe"] = container(deployment, "web").pop(
        "readinessProbe"
    )
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


def test_values_schema_rejects_an_unknown_key(helm: Path) -> None:
    """A misspelt value fails the install instead of being ignored."""
    with pytest.raises(RenderError, match="replica"):
        render(helm, CI_VALUES[0], "web.replica=3")


# --- Migrations --------------------------------------------------------------------------


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_migration_hook_migrates_only_the_public_schema(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """One hook Job runs ``migrate_schemas --shared``; nothing else migrates."""
    job = named(rendered[values], "Job", "-migrate")
    hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
    assert "pre-upgrade" in hooks
    assert hooks & {"pre-install", "post-install"}
    assert "hook-succeeded" in job["metadata"]["annotations"]["helm.sh/hook-delete-policy"]

    command = container(job, "migrate")["command"]
    assert command[:4] == ["python", "manage.py", "migrate_schemas", "--shared"]
    assert "--tenant" not in command and "--schema" not in command

    # School schemas are the maintenance app's work (`manage.py maintenance run`).
    for workload in workloads(rendered[values]):
        for each in pod_spec(workload)["containers"]:
            words = [*each.get("command", []), *each.get("args", [])]
            if workload is not job:
                assert not {"migrate", "migrate_schemas"} & set(words), workload["metadata"]


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_migration_settings_exist_before_the_job(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """The Job's ConfigMap (and Secret) are hooks of the same phase with a lower weight."""
    manifests = rendered[values]
    job = named(manifests, "Job", "-migrate")
    job_phase = job["metadata"]["annotations"]["helm.sh/hook"]
    job_weight = int(job["metadata"]["annotations"]["helm.sh/hook-weight"])
    env_from = container(job, "migrate")["envFrom"]

    config_name = next(ref["configMapRef"]["name"] for ref in env_from if "configMapRef" in ref)
    config = named(manifests, "ConfigMap", config_name)
    assert config["metadata"]["annotations"]["helm.sh/hook"] == job_phase
    assert int(config["metadata"]["annotations"]["helm.sh/hook-weight"]) < job_weight

    secret_name = next(ref["secretRef"]["name"] for ref in env_from if "secretRef" in ref)
    secrets = [s for s in of_kind(manifests, "Secret") if s["metadata"]["name"] == secret_name]
    if secrets:
        annotations = secrets[0]["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == job_phase
        assert int(annotations["helm.sh/hook-weight"]) < job_weight
    else:
        # An operator-managed Secret exists before any install.
        assert secret_name == _values(values)["secrets"]["existingSecret"]


# --- Pods --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_web_probes_use_healthz_and_readyz(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """Liveness asks /healthz, readiness /readyz, on the port gunicorn binds."""
    web = container(named(rendered[values], "Deployment", "-web"), "web")
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    port = next(p for p in web["ports"] if p["name"] == web["readinessProbe"]["httpGet"]["port"])
    assert f"--bind=0.0.0.0:{port['containerPort']}" in web["args"]
    assert web["command"] == ["gunicorn"] and "config.wsgi:application" in web["args"]


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_every_pod_runs_unprivileged_on_a_read_only_root(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """Non-root, read-only root file system, no privilege escalation, no capabilities."""
    for workload in workloads(rendered[values]):
        spec = pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
        for each in spec["containers"]:
            context = each["securityContext"]
            assert context["runAsNonRoot"] is True
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert "add" not in context["capabilities"]
            assert "/tmp" in {mount["mountPath"] for mount in each["volumeMounts"]}
            assert each["resources"]["requests"], each["name"]


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_exactly_one_beat_replaced_with_recreate(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """One beat pod, never two at once: two would send every periodic task twice."""
    beats = [
        workload
        for workload in workloads(rendered[values])
        for each in pod_spec(workload)["containers"]
        if "beat" in each.get("args", [])
    ]
    assert len(beats) == 1
    assert beats[0]["spec"]["replicas"] == 1
    assert beats[0]["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        hpa["spec"]["scaleTargetRef"]["name"]
        for hpa in of_kind(rendered[values], "HorizontalPodAutoscaler")
    }
    assert beats[0]["metadata"]["name"] not in targets


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_selectors_match_their_pods(rendered: dict[str, list[Manifest]], values: str) -> None:
    """Services, PDBs and NetworkPolicies select pods that the chart creates."""
    pod_labels = [w["spec"]["template"]["metadata"]["labels"] for w in workloads(rendered[values])]

    def selects_something(selector: dict[str, str]) -> bool:
        return any(selector.items() <= labels.items() for labels in pod_labels)

    for manifest in rendered[values]:
        kind = manifest["kind"]
        if kind == "Service":
            assert selects_something(manifest["spec"]["selector"]), manifest["metadata"]
        elif kind in {"PodDisruptionBudget", "Deployment"}:
            assert selects_something(manifest["spec"]["selector"]["matchLabels"])
        elif kind == "NetworkPolicy":
            assert selects_something(manifest["spec"]["podSelector"]["matchLabels"])


# --- Scaling and disruption --------------------------------------------------------------


def test_web_autoscales_and_keeps_a_pod_through_disruptions(
    rendered: dict[str, list[Manifest]],
) -> None:
    """The HPA owns the web replica count; the PDB keeps at least one web pod."""
    manifests = rendered["external-values.yaml"]
    web = named(manifests, "Deployment", "-web")
    hpa = named(manifests, "HorizontalPodAutoscaler", "-web")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": web["metadata"]["name"],
    }
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert "replicas" not in web["spec"], "a fixed count would fight the autoscaler"

    pdb = named(manifests, "PodDisruptionBudget", "-web")
    assert pdb["spec"]["minAvailable"] >= 1
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"], "drains would block"
    assert pdb["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]


def test_minimal_install_has_fixed_replicas_and_no_optional_parts(
    rendered: dict[str, list[Manifest]],
) -> None:
    """With autoscaling, PDB, ingress and policies off, none of them is rendered."""
    manifests = rendered["minimal-values.yaml"]
    kinds = {manifest["kind"] for manifest in manifests}
    assert not kinds & {"HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress"}
    assert not kinds & {"NetworkPolicy", "PersistentVolumeClaim", "Secret"}
    assert named(manifests, "Deployment", "-web")["spec"]["replicas"] == 1


# --- Network -----------------------------------------------------------------------------


@pytest.mark.parametrize("values", ["external-values.yaml", "cloudnativepg-values.yaml"])
def test_network_policy_denies_by_default_and_opens_what_presentis_uses(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """Every pod is isolated both ways; DNS, the database, Redis and SMTP stay reachable."""
    manifests = rendered[values]
    everyone = named(manifests, "NetworkPolicy", "presentis")
    assert set(everyone["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in everyone["spec"], "no ingress rule: nobody may connect"
    egress_ports = {
        port["port"] for rule in everyone["spec"]["egress"] for port in rule.get("ports", [])
    }
    settings = named(manifests, "ConfigMap", "presentis")["data"]
    assert {53, 5432, 6379, 443, int(settings["EMAIL_PORT"])} <= egress_ports

    web_policy = named(manifests, "NetworkPolicy", "-web")
    assert web_policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = web_policy["spec"]["ingress"]
    assert [port["port"] for port in rule["ports"]] == ["http"]
    assert rule["from"], "the web pods accept only the ingress controller"


@pytest.mark.parametrize("values", ["external-values.yaml", "cloudnativepg-values.yaml"])
def test_ingress_serves_public_host_and_every_school_with_certificates(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """A wildcard rule for school domains, the public host, and cert-manager TLS for both."""
    manifests = rendered[values]
    config = _values(values)
    ingress = named(manifests, "Ingress", "presentis")
    annotations = ingress["metadata"]["annotations"]
    assert {"cert-manager.io/cluster-issuer", "cert-manager.io/issuer"} & annotations.keys()

    wildcard = f"*.{config['schoolDomain']}"
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert config["publicHost"] in hosts and wildcard in hosts
    assert set(config.get("extraHosts", [])) <= set(hosts)
    tls_hosts = {host for entry in ingress["spec"]["tls"] for host in entry["hosts"]}
    assert set(hosts) <= tls_hosts

    service = named(manifests, "Service", "-web")
    for rule in ingress["spec"]["rules"]:
        [path] = rule["http"]["paths"]
        backend = path["backend"]["service"]
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["number"] == service["spec"]["ports"][0]["port"]

    allowed = named(manifests, "ConfigMap", "presentis")["data"]["ALLOWED_HOSTS"].split(",")
    assert config["publicHost"] in allowed and f".{config['schoolDomain']}" in allowed


# --- Database ----------------------------------------------------------------------------


def test_cloudnativepg_uses_a_session_mode_pooler(rendered: dict[str, list[Manifest]]) -> None:
    """django-tenants sets search_path per session: the pooler must pool sessions."""
    manifests = rendered["cloudnativepg-values.yaml"]
    [cluster] = of_kind(manifests, "Cluster")
    [pooler] = of_kind(manifests, "Pooler")
    assert pooler["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert pooler["spec"]["type"] == "rw"
    assert pooler["spec"]["pgbouncer"]["poolMode"] == "session"
    assert pooler["metadata"]["name"] != cluster["metadata"]["name"]
    assert cluster["spec"]["bootstrap"]["initdb"]["database"] == "presentis"

    for workload in workloads(manifests):
        for each in pod_spec(workload)["containers"]:
            env = {item["name"]: item for item in each.get("env", [])}
            url = env["DATABASE_URL"]["value"]
            assert f"@{pooler['metadata']['name']}:5432/" in url, workload["metadata"]["name"]
            assert env["PRESENTIS_DB_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == (
                f"{cluster['metadata']['name']}-app"
            )


def test_transaction_pooling_is_refused(helm: Path) -> None:
    """A pooler in transaction mode would mix schools' search paths; the chart fails."""
    values = CHART / "ci" / "cloudnativepg-values.yaml"
    with pytest.raises(RenderError, match="session"):
        render(helm, values, "cloudnativepg.pooler.poolMode=transaction")


def test_external_database_comes_from_the_secret(rendered: dict[str, list[Manifest]]) -> None:
    """Without CloudNativePG, DATABASE_URL is a key of the release's Secret."""
    manifests = rendered["external-values.yaml"]
    assert not of_kind(manifests, "Cluster") and not of_kind(manifests, "Pooler")
    secret = named(manifests, "Secret", "presentis")
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= secret["data"].keys()
    web = container(named(manifests, "Deployment", "-web"), "web")
    assert {"secretRef": {"name": secret["metadata"]["name"]}} in web["envFrom"]


# --- Settings ----------------------------------------------------------------------------


@pytest.mark.parametrize("values", VALUES_NAMES)
def test_every_setting_the_chart_passes_is_read_by_django(
    rendered: dict[str, list[Manifest]], values: str
) -> None:
    """No variable in the ConfigMap or Secret is a name the settings never read."""
    sources = "\n".join(path.read_text() for path in CONFIG_DIR.rglob("*.py"))
    names: set[str] = set()
    for manifest in rendered[values]:
        if manifest["kind"] in {"ConfigMap", "Secret"}:
            names |= set(manifest.get("data", {}))
    names.discard("DJANGO_SETTINGS_MODULE")
    unread = sorted(name for name in names if f'"{name}"' not in sources)
    assert unread == []


def test_production_settings_take_the_chart_settings(
    rendered: dict[str, list[Manifest]],
) -> None:
    """Django's production settings, fed the rendered ConfigMap and Secret, use every value."""
    manifests = rendered["external-values.yaml"]
    env = dict(named(manifests, "ConfigMap", "presentis")["data"])
    for key, value in named(manifests, "Secret", "presentis")["data"].items():
        env[key] = base64.b64decode(value).decode()
    env.pop("SENTRY_DSN")  # nothing may try to reach the example DSN

    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "db = settings.DATABASES['default']\n"
        "print(json.dumps({'hosts': settings.ALLOWED_HOSTS, 'debug': settings.DEBUG,"
        " 'db': [db['HOST'], db['NAME'], db['USER']], 'media': str(settings.MEDIA_ROOT),"
        " 'beat': settings.CELERY_BEAT_SCHEDULE_FILENAME, 'redis': settings.REDIS_URL,"
        " 'mail': [settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS,"
        " settings.EMAIL_HOST_USER], 'hsts': settings.SECURE_HSTS_SECONDS,"
        " 'public': settings.PUBLIC_DOMAIN}))\n"
    )
    inherited = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**inherited, **env},
        cwd=CHART.parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])

    assert loaded["hosts"] == env["ALLOWED_HOSTS"].split(",")
    assert loaded["debug"] is False
    assert loaded["db"] == ["db.presentis.internal", "presentis", "presentis"]
    assert loaded["redis"] == env["REDIS_URL"]
    assert loaded["media"] == env["MEDIA_ROOT"]
    assert loaded["beat"].startswith(env["PRESENTIS_VAR_DIR"] + "/")
    assert loaded["mail"] == ["smtp.presentis.nl", 587, True, "presentis"]
    assert loaded["hsts"] == int(env["SECURE_HSTS_SECONDS"])
    assert loaded["public"] == "presentis.nl"


def _values(name: str) -> dict[str, Any]:
    """Return the chart defaults overlaid with one CI values file (top-level keys only)."""
    merged: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
    merged.update(yaml.safe_load((CHART / "ci" / name).read_text()))
    return merged
