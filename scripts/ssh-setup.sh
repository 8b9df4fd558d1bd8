#!/usr/bin/env bash
# Installs the OpenSSH server and client that the git-over-SSH tests run on loopback (test/helpers/gitSsh.ts).
# Nothing is configured or started here: the tests run their own sshd with their own sshd_config, host key and
# authorized_keys in a temporary folder. Skipped when sshd and ssh are present, so running it again is cheap.
set -euo pipefail

log() { echo "[ssh-setup] $*" >&2; }

# Test workers run in parallel: one installs, the others wait for it and find OpenSSH present.
exec 9>"${TMPDIR:-/tmp}/claude-env-ssh-setup.lock"
flock 9

missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 && command -v ssh-agent >/dev/null 2>&1 || missing+=(openssh-client)
if [ "${#missing[@]}" -eq 0 ]; then log "OpenSSH present"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  log "missing Debian packages: ${missing[*]}; run this script as root (or: sudo apt-get install -y ${missing[*]})"
  exit 2
fi
log "installing ${missing[*]}"
apt-get update -qq
# The package's own ssh service is not wanted: in a container policy-rc.d keeps it from starting.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
