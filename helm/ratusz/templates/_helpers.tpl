{{/*
Names and labels.
*/}}
{{- define "ratusz.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ratusz.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ratusz.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ratusz.labels" -}}
helm.sh/chart: {{ include "ratusz.chart" . }}
{{ include "ratusz.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ratusz.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ratusz.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of one component: include "ratusz.componentLabels" (dict "root" $ "component" "web")
*/}}
{{- define "ratusz.componentLabels" -}}
{{ include "ratusz.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ratusz.componentSelectorLabels" -}}
{{ include "ratusz.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ratusz.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ratusz.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ratusz.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "ratusz.secretName" -}}
{{- default (printf "%s-env" (include "ratusz.fullname" .)) .Values.secret.existingSecret }}
{{- end }}

{{/*
Environment.

Every variable ratusz/settings/env.py reads, and those of them that may only come from the Secret.
*/}}
{{- define "ratusz.knownEnv" -}}
BASE_DOMAIN CELERY_BROKER_URL DATABASE_URL DB_BACKEND_MEMORY_MB DB_CONN_MAX_AGE DB_MAX_SCHEMAS_PER_CONNECTION DB_POOL_MODE DB_POOL_SIZE DB_POOL_TIMEOUT DB_STATEMENT_TIMEOUT_MS DB_TASK_STATEMENT_TIMEOUT_MS DEBUG DEFAULT_FROM_EMAIL EMAIL_HOST EMAIL_HOST_PASSWORD EMAIL_HOST_USER EMAIL_PORT EMAIL_USE_TLS LOG_LEVEL MEDIA_ROOT PUBLIC_PORT PUBLIC_SCHEME RATUSZ_DATA_DIR RATUSZ_ENV RATUSZ_STORAGE RATUSZ_TASKS_EAGER REDIS_URL REQUEST_DROP_DISCONNECTED REQUEST_QUEUE_TIMEOUT_S S3_ACCESS_KEY_ID S3_BUCKET S3_ENDPOINT_URL S3_REGION S3_SECRET_ACCESS_KEY SECRET_KEY STATIC_ROOT STRIPE_API_KEY TRUST_X_REQUEST_START
{{- end }}

{{- define "ratusz.secretOnlyEnv" -}}
DATABASE_URL EMAIL_HOST_PASSWORD S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY SECRET_KEY STRIPE_API_KEY
{{- end }}

{{/*
The ConfigMap's data: the non-empty `config` values, quoted, plus RATUSZ_ENV=production.
*/}}
{{- define "ratusz.configData" -}}
{{- $known := splitList " " (include "ratusz.knownEnv" .) }}
{{- $secretOnly := splitList " " (include "ratusz.secretOnlyEnv" .) }}
{{- required "config.BASE_DOMAIN is required" .Values.config.BASE_DOMAIN | trimAll "." | lower | printf "BASE_DOMAIN: %q" }}
{{- range $name, $value := .Values.config }}
{{- if not (has $name $known) }}
{{- fail (printf "config.%s: Ratusz reads no such environment variable (see ratusz/settings/env.py)" $name) }}
{{- end }}
{{- if has $name $secretOnly }}
{{- fail (printf "config.%s is a secret: put it in the Secret (secret.required / secret.optional)" $name) }}
{{- end }}
{{- if eq $name "RATUSZ_ENV" }}
{{- fail "config.RATUSZ_ENV: the chart always runs Ratusz with RATUSZ_ENV=production" }}
{{- end }}
{{- $set := and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
{{- if and $set (or (has $name $.Values.secret.required) (has $name $.Values.secret.optional)) }}
{{- fail (printf "%s is set both in config and in the Secret's keys: keep one (set config.%s to \"\" to read it from the Secret)" $name $name) }}
{{- end }}
{{- if and $set (ne $name "BASE_DOMAIN") }}
{{ $name }}: {{ toString $value | quote }}
{{- end }}
{{- end }}
RATUSZ_ENV: "production"
{{- end }}

{{/*
Container env taken from the Secret. Pass (dict "root" $ "databaseUrlKey" "KEY") to read
DATABASE_URL from another key of the Secret.
*/}}
{{- define "ratusz.secretEnv" -}}
{{- $root := .root }}
{{- $known := splitList " " (include "ratusz.knownEnv" $root) }}
{{- $secretName := include "ratusz.secretName" $root }}
{{- range $name := $root.Values.secret.required }}
{{- if not (has $name $known) }}
{{- fail (printf "secret.required: Ratusz reads no environment variable %s" $name) }}
{{- end }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ if and (eq $name "DATABASE_URL") $.databaseUrlKey }}{{ $.databaseUrlKey }}{{ else }}{{ $name }}{{ end }}
{{- end }}
{{- range $name := $root.Values.secret.optional }}
{{- if not (has $name $known) }}
{{- fail (printf "secret.optional: Ratusz reads no environment variable %s" $name) }}
{{- end }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $name }}
      optional: true
{{- end }}
{{- end }}

{{/*
The env of the long-running containers: the ConfigMap, then the Secret (which wins).
*/}}
{{- define "ratusz.containerEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "ratusz.fullname" . }}
env:
  {{- include "ratusz.secretEnv" (dict "root" . "databaseUrlKey" "") | trim | nindent 2 }}
{{- end }}

{{/*
Volumes shared by every pod: a writable /tmp.
*/}}
{{- define "ratusz.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      {{- with .Values.tmpVolume.sizeLimit }}
      sizeLimit: {{ . }}
      {{- end }}
{{- end }}

{{- define "ratusz.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end }}

{{/*
Pod-level settings shared by every pod. Pass the component's values as .component, and
"hook" true for a pre-install hook: it runs before the chart's ServiceAccount exists, so it uses
the namespace's default one (migrations need no Kubernetes or cloud permissions).
*/}}
{{- define "ratusz.podSpecCommon" -}}
{{- $root := .root -}}
serviceAccountName: {{ if and .hook $root.Values.serviceAccount.create }}default{{ else }}{{ include "ratusz.serviceAccountName" $root }}{{ end }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Pod annotations: a checksum of the config so that a config change rolls the pods.
*/}}
{{- define "ratusz.podAnnotations" -}}
checksum/config: {{ include "ratusz.configData" .root | sha256sum }}
{{- with .component.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}
