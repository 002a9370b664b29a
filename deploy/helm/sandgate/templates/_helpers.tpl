{{/* Names and labels. */}}
{{- define "sandgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sandgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "sandgate.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "sandgate.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "sandgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sandgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sandgate.labels" -}}
{{ include "sandgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
sandgate.io/backend: {{ .Values.backend }}
{{- end }}

{{- define "sandgate.serviceAccountName" -}}
{{- default (include "sandgate.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "sandgate.sandboxSecretName" -}}
{{- default (printf "%s-sandbox" (include "sandgate.fullname" .)) .Values.sandboxSecret.existingSecret }}
{{- end }}

{{/* Settings the chart reads from config (one place: the gateway reads the same keys). */}}
{{- define "sandgate.openshellMode" -}}{{ .Values.config.openshellMode | default "grpc" }}{{- end }}
{{- define "sandgate.substrateAuth" -}}{{ .Values.config.substrateAuth | default "jwt" }}{{- end }}
{{- define "sandgate.isolaNamespace" -}}{{ .Values.config.isolaNamespace | default "isola-sandboxes" }}{{- end }}
{{- define "sandgate.sandboxPort" -}}{{ .Values.config.sandboxPort | default 9222 }}{{- end }}

{{/* Namespaces whose pods identity=pod-label watches. */}}
{{- define "sandgate.podLabelNamespaces" -}}
{{- if .Values.podLabel.namespaces }}{{ join " " .Values.podLabel.namespaces }}{{ else }}{{ .Release.Namespace }}{{ end }}
{{- end }}

{{/* Namespace of the sandbox pods the NetworkPolicy protects ("" when they are not pods the chart can select). */}}
{{- define "sandgate.sandboxNamespace" -}}
{{- if eq .Values.backend "agent-sandbox" }}{{ .Release.Namespace }}
{{- else if and (eq .Values.backend "openshell") (eq (include "sandgate.openshellMode" .) "kubernetes") }}{{ .Release.Namespace }}
{{- else if eq .Values.backend "isola" }}{{ include "sandgate.isolaNamespace" . }}
{{- end }}
{{- end }}

{{/*
Validates the values; every problem fails the render with the value to fix.
*/}}
{{- define "sandgate.validate" -}}
{{- $backends := list "agent-sandbox" "openshell" "substrate" "karssandbox" "isola" }}
{{- if not .Values.backend }}
{{- fail (printf "values: backend is required: one of %s (see deploy/examples/<backend>/values.yaml)" (join ", " $backends)) }}
{{- end }}
{{- if not (has .Values.backend $backends) }}
{{- fail (printf "values: backend %q is not a Kubernetes backend: expected one of %s" .Values.backend (join ", " $backends)) }}
{{- end }}
{{- $identities := list "header" "path" "token" "pod-label" }}
{{- if not (has .Values.identity $identities) }}
{{- fail (printf "values: identity %q is unknown: expected one of %s" .Values.identity (join ", " $identities)) }}
{{- end }}
{{- $reserved := list "backend" "identity" "listen" "management" "drainTimeout" "sandboxSecret" "tokenSecret" "adminToken" "kubeconfig" "podLabelNamespaces" "openshellTokenFile" "openshellCaFile" "substrateTokenFile" "substrateCaFile" "substrateCertFile" "substrateKeyFile" }}
{{- range $key, $_ := .Values.config }}
{{- if has $key $reserved }}
{{- fail (printf "values: config.%s is set by the chart; use the chart value instead (docs/deploy.md, values reference)" $key) }}
{{- end }}
{{- end }}
{{- range $key, $_ := .Values.configFromSecrets }}
{{- if not (has $key (list "tokenSecret" "adminToken")) }}
{{- fail (printf "values: configFromSecrets.%s: only tokenSecret and adminToken are read from Secrets" $key) }}
{{- end }}
{{- end }}
{{- if and (eq .Values.identity "token") (not .Values.configFromSecrets.tokenSecret) }}
{{- fail "values: identity=token needs configFromSecrets.tokenSecret: {secret: <name>, key: <key>}" }}
{{- end }}
{{- if and (eq .Values.backend "openshell") (not (has (include "sandgate.openshellMode" .) (list "grpc" "kubernetes"))) }}
{{- fail (printf "values: config.openshellMode %q: expected grpc or kubernetes" (include "sandgate.openshellMode" .)) }}
{{- end }}
{{- if eq .Values.backend "substrate" }}
{{- if not .Values.substrate.caSecret.name }}
{{- fail "values: backend=substrate needs substrate.caSecret.name (the control plane's CA bundle)" }}
{{- end }}
{{- if and (eq (include "sandgate.substrateAuth" .) "mtls") (not .Values.substrate.clientCertSecret) }}
{{- fail "values: config.substrateAuth=mtls needs substrate.clientCertSecret (a kubernetes.io/tls Secret)" }}
{{- end }}
{{- end }}
{{- if lt (int .Values.drainTimeoutSeconds) 1 }}
{{- fail "values: drainTimeoutSeconds must be at least 1" }}
{{- end }}
{{- end }}

{{/* The gateway's configuration as SANDGATE_* environment variables. */}}
{{- define "sandgate.env" -}}
- name: SANDGATE_BACKEND
  value: {{ .Values.backend | quote }}
- name: SANDGATE_IDENTITY
  value: {{ .Values.identity | quote }}
- name: SANDGATE_LISTEN
  value: {{ include "sandgate.hostPort" (list .Values.listenHost .Values.ports.data) | quote }}
- name: SANDGATE_MANAGEMENT
  value: {{ include "sandgate.hostPort" (list .Values.listenHost .Values.ports.management) | quote }}
- name: SANDGATE_DRAIN_TIMEOUT
  value: {{ printf "%ds" (int .Values.drainTimeoutSeconds) | quote }}
- name: SANDGATE_SANDBOX_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "sandgate.sandboxSecretName" . }}
      key: {{ .Values.sandboxSecret.key }}
{{- if and (eq .Values.identity "pod-label") .Values.podLabel.namespaces }}
- name: SANDGATE_POD_LABEL_NAMESPACES
  value: {{ include "sandgate.podLabelNamespaces" . | quote }}
{{- end }}
{{- if and (eq .Values.backend "openshell") (eq (include "sandgate.openshellMode" .) "grpc") }}
{{- if .Values.openshell.tokenSecret.name }}
- name: SANDGATE_OPENSHELL_TOKEN_FILE
  value: /var/run/secrets/openshell/token
{{- end }}
{{- if .Values.openshell.caSecret.name }}
- name: SANDGATE_OPENSHELL_CA_FILE
  value: /var/run/secrets/openshell/ca.crt
{{- end }}
{{- end }}
{{- if eq .Values.backend "substrate" }}
- name: SANDGATE_SUBSTRATE_CA_FILE
  value: /var/run/secrets/substrate/ca.crt
{{- if eq (include "sandgate.substrateAuth" .) "jwt" }}
- name: SANDGATE_SUBSTRATE_TOKEN_FILE
  value: /var/run/secrets/substrate/token
{{- else }}
- name: SANDGATE_SUBSTRATE_CERT_FILE
  value: /var/run/secrets/substrate/tls.crt
- name: SANDGATE_SUBSTRATE_KEY_FILE
  value: /var/run/secrets/substrate/tls.key
{{- end }}
{{- end }}
{{- range $key, $ref := .Values.configFromSecrets }}
- name: {{ include "sandgate.envName" $key }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "values: configFromSecrets.%s.secret is required" $key) $ref.secret }}
      key: {{ required (printf "values: configFromSecrets.%s.key is required" $key) $ref.key }}
{{- end }}
{{- range $key, $value := .Values.config }}
- name: {{ include "sandgate.envName" $key }}
  value: {{ if kindIs "slice" $value }}{{ join " " $value | quote }}{{ else }}{{ toString $value | quote }}{{ end }}
{{- end }}
{{- end }}

{{/* camelCase config key → SANDGATE_SNAKE_CASE (as src/config/load.ts envName). */}}
{{- define "sandgate.envName" -}}
{{- printf "SANDGATE_%s" (regexReplaceAll "([a-z0-9])([A-Z])" . "${1}_${2}" | upper) }}
{{- end }}

{{- define "sandgate.hostPort" -}}
{{- $host := index . 0 }}{{ $port := index . 1 }}
{{- if contains ":" $host }}[{{ $host }}]:{{ $port }}{{ else }}{{ $host }}:{{ $port }}{{ end }}
{{- end }}
