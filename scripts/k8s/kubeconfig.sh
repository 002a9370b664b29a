# Writes a kubeconfig for one client cert of the test PKI (sourced by up.sh).
write_kubeconfig() { # file cert-name
  local file="$1" name="$2" pki="$RUN_DIR/pki"
  cat > "$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: sandgate-test
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $pki/ca.crt
users:
- name: $name
  user:
    client-certificate: $pki/$name.crt
    client-key: $pki/$name.key
contexts:
- name: sandgate-test
  context: {cluster: sandgate-test, user: $name, namespace: default}
current-context: sandgate-test
KC
}
