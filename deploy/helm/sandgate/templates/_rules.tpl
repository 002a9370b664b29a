{{/*
Role rules in the release namespace per backend. Verbs follow the calls of src/backends/<backend>/:
reads go through list + watch (waitFor, informers), never get, unless the code gets one named object.
*/}}
{{- define "sandgate.backendRules" -}}
{{- if eq .Values.backend "agent-sandbox" }}
# backend=agent-sandbox: one SandboxClaim per tenant. create: ensure; list + watch: waiting for Ready
# (waitFor), list(), the loss informer; delete: release.
- apiGroups: ["extensions.agents.x-k8s.io"]
  resources: ["sandboxclaims"]
  verbs: ["create", "list", "watch", "delete"]
{{- else if and (eq .Values.backend "openshell") (eq (include "sandgate.openshellMode" .) "kubernetes") }}
# backend=openshell, mode kubernetes: one agents.x-k8s.io Sandbox per tenant, as OpenShell's own driver;
# patch: operatingMode for suspend/resume; pods list + watch: waiting until a suspended Sandbox's pod is gone.
- apiGroups: ["agents.x-k8s.io"]
  resources: ["sandboxes"]
  verbs: ["create", "list", "watch", "delete", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
{{- else if eq .Values.backend "karssandbox" }}
# backend=karssandbox: one KarsSandbox per tenant; the InferencePolicy they refer to is checked by name.
- apiGroups: ["kars.azure.com"]
  resources: ["karssandboxes"]
  verbs: ["create", "list", "watch", "delete"]
- apiGroups: ["kars.azure.com"]
  resources: ["inferencepolicies"]
  verbs: ["get"]
{{- end }}
{{- end }}

{{/* Whether the backend's own rules already grant pods list + watch in the release namespace. */}}
{{- define "sandgate.backendReadsPods" -}}
{{- if and (eq .Values.backend "openshell") (eq (include "sandgate.openshellMode" .) "kubernetes") }}true{{ end }}
{{- end }}

{{- define "sandgate.isolaRules" -}}
- apiGroups: ["sandbox.isola.run"]
  resources: ["sandboxes"]
  verbs: ["create", "list", "watch", "delete"]
{{- end }}
