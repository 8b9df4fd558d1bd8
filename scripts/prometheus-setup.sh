#!/usr/bin/env bash
# Installs Debian's prometheus package for the gateway metrics test (test/mcp/gatewayMetricsPrometheus.test.ts)
# and prints the path of its binary. The test runs that binary itself, with its own configuration, storage folder
# and port, so the package's own service must not start (or stay running on :9090): the install runs behind a
# policy-rc.d that refuses service starts, and a service that started anyway is stopped.
# Skipped when /usr/bin/prometheus is already there, so running it again is cheap.
set -euo pipefail

PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
POLICY_RC=/usr/sbin/policy-rc.d

# log prints one labelled progress line on stderr so the caller's stdout stays machine-readable.
log() { echo "[prometheus-setup] $*" >&2; }

# refuse_service_starts installs a policy-rc.d that denies every start, unless the machine already has one.
refuse_service_starts() {
  if [ -e "$POLICY_RC" ]; then return 1; fi
  printf '#!/bin/sh\n# Temporary: keeps the prometheus package from starting its service during install.\nexit 101\n' >"$POLICY_RC"
  chmod 0755 "$POLICY_RC"
}

# stop_packaged_service stops the package's service if it started regardless (systemd machines ignore policy-rc.d).
stop_packaged_service() {
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/prometheus ] && /etc/init.d/prometheus status >/dev/null 2>&1; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
}

# install_prometheus installs the package without recommends (no node exporter, no web console extras).
install_prometheus() {
  if [ -x "$PROMETHEUS_BIN" ]; then log "prometheus present"; return; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "Debian's prometheus package is missing; run this script as root (or: sudo apt-get install -y prometheus)"
    exit 2
  fi
  log "installing prometheus"
  local own_policy=0
  if refuse_service_starts; then own_policy=1; fi
  local status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } || status=$?
  if [ "$own_policy" = 1 ]; then rm -f "$POLICY_RC"; fi
  [ "$status" = 0 ] || { log "apt-get install prometheus failed (exit $status)"; exit "$status"; }
  stop_packaged_service
}

install_prometheus
echo "$PROMETHEUS_BIN"
