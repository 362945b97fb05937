{{/*
Names, labels and the pieces every Presentis pod shares: image, settings, security
context and the writable volumes next to a read-only root file system.
*/}}

{{- define "presentis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "presentis.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "presentis.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "presentis.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "presentis.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "presentis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: presentis
{{- end }}

{{/* Labels that select every pod of this release (any component). */}}
{{- define "presentis.releaseSelector" -}}
app.kubernetes.io/name: {{ include "presentis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "web"). */}}
{{- define "presentis.selectorLabels" -}}
{{ include "presentis.releaseSelector" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "presentis.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "presentis.secretName" -}}
{{- default (include "presentis.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{- define "presentis.cnpgCluster" -}}
{{- printf "%s-db" (include "presentis.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{- define "presentis.cnpgPooler" -}}
{{- printf "%s-pooler-rw" (include "presentis.cnpgCluster" .) }}
{{- end }}

{{/* Host names a request may carry, for ALLOWED_HOSTS (a leading dot allows subdomains). */}}
{{- define "presentis.allowedHosts" -}}
{{- $schoolDomain := required "schoolDomain is required (schools live at <name>.<schoolDomain>)" .Values.schoolDomain }}
{{- $hosts := list .Values.publicHost (printf ".%s" $schoolDomain) }}
{{- range .Values.extraHosts }}
{{- $hosts = append $hosts . }}
{{- end }}
{{- join "," (uniq $hosts) }}
{{- end }}

{{/* Paths inside the image; PRESENTIS_VAR_DIR holds beat's schedule file. */}}
{{- define "presentis.varDir" -}}/var/lib/presentis{{- end }}
{{- define "presentis.mediaRoot" -}}/srv/media{{- end }}

{{/* The ConfigMap's data: every plain setting. */}}
{{- define "presentis.configData" -}}
DJANGO_SETTINGS_MODULE: config.settings.production
PUBLIC_DOMAIN: {{ required "publicHost is required (the public site's host name)" .Values.publicHost | quote }}
ALLOWED_HOSTS: {{ include "presentis.allowedHosts" . | quote }}
SITE_SCHEME: {{ .Values.settings.siteScheme | quote }}
SENTRY_ENVIRONMENT: {{ .Values.settings.sentryEnvironment | quote }}
EMAIL_HOST: {{ .Values.settings.emailHost | quote }}
EMAIL_PORT: {{ .Values.settings.emailPort | toString | quote }}
EMAIL_USE_TLS: {{ .Values.settings.emailUseTls | toString | quote }}
DEFAULT_FROM_EMAIL: {{ .Values.settings.defaultFromEmail | quote }}
LOG_LEVEL: {{ .Values.settings.logLevel | quote }}
CELERY_QUEUE: {{ .Values.settings.celeryQueue | quote }}
MEDIA_ROOT: {{ include "presentis.mediaRoot" . | quote }}
PRESENTIS_VAR_DIR: {{ include "presentis.varDir" . | quote }}
{{- range $name, $value := .Values.settings.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* The Secret's data (only when the chart renders the Secret itself). */}}
{{- define "presentis.secretData" -}}
SECRET_KEY: {{ required "secrets.secretKey is required (or set secrets.existingSecret)" .Values.secrets.secretKey | b64enc | quote }}
{{- if not .Values.cloudnativepg.enabled }}
DATABASE_URL: {{ required "secrets.databaseUrl is required (or set secrets.existingSecret, or enable cloudnativepg)" .Values.secrets.databaseUrl | b64enc | quote }}
{{- end }}
REDIS_URL: {{ required "secrets.redisUrl is required (or set secrets.existingSecret)" .Values.secrets.redisUrl | b64enc | quote }}
SENTRY_DSN: {{ .Values.secrets.sentryDsn | b64enc | quote }}
EMAIL_HOST_USER: {{ .Values.secrets.emailHostUser | b64enc | quote }}
EMAIL_HOST_PASSWORD: {{ .Values.secrets.emailHostPassword | b64enc | quote }}
{{- end }}

{{/* Roll the pods when a setting changes. */}}
{{- define "presentis.checksum" -}}
{{- $secretData := "" }}
{{- if not .Values.secrets.existingSecret }}
{{- $secretData = include "presentis.secretData" . }}
{{- end }}
checksum/settings: {{ printf "%s%s" (include "presentis.configData" .) $secretData | sha256sum }}
{{- end }}

{{/*
The environment of every container: the ConfigMap, the Secret and, with CloudNativePG, a
DATABASE_URL built from the operator's app secret (pointing at the session-mode pooler).
Call with (dict "root" $ "configMap" NAME "secret" NAME).
*/}}
{{- define "presentis.env" -}}
{{- $root := .root }}
envFrom:
  - configMapRef:
      name: {{ .configMap }}
  - secretRef:
      name: {{ .secret }}
{{- if $root.Values.cloudnativepg.enabled }}
{{- $cluster := include "presentis.cnpgCluster" $root }}
{{- $host := ternary (include "presentis.cnpgPooler" $root) (printf "%s-rw" $cluster) $root.Values.cloudnativepg.pooler.enabled }}
env:
  # CloudNativePG generates alphanumeric passwords, so they need no URL escaping.
  - name: PRESENTIS_DB_USER
    valueFrom:
      secretKeyRef:
        name: {{ $cluster }}-app
        key: username
  - name: PRESENTIS_DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ $cluster }}-app
        key: password
  - name: DATABASE_URL
    value: {{ printf "postgresql://$(PRESENTIS_DB_USER):$(PRESENTIS_DB_PASSWORD)@%s:5432/%s" $host $root.Values.cloudnativepg.database | quote }}
{{- end }}
{{- end }}

{{/* Pod-level fields every Presentis pod shares. */}}
{{- define "presentis.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .Values.serviceAccountName }}
serviceAccountName: {{ .Values.serviceAccountName }}
{{- end }}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Container-level fields every Presentis container shares. */}}
{{- define "presentis.containerCommon" -}}
image: {{ include "presentis.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end }}

{{- define "presentis.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{- define "presentis.mediaVolume" -}}
- name: media
{{- if .Values.persistence.media.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-media" (include "presentis.fullname" .)) .Values.persistence.media.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/*
When the hook runs. The public schema is migrated before the new code starts, except on
the first install with CloudNativePG: the database is then part of this release and exists
only after the pre-install hooks, so that one migration runs post-install (the Job retries
until the cluster accepts connections).
*/}}
{{- define "presentis.migrationHook" -}}
{{- if .Values.cloudnativepg.enabled -}}
post-install,pre-upgrade
{{- else -}}
pre-install,pre-upgrade
{{- end }}
{{- end }}
