#!/bin/sh
# postStartCommand: starts each MCP server of the workspace once, reports whether it is healthy, and stops it.
# It always exits 0 and gives up after a time limit, so a slow or broken server never holds the container up.
INSTALL_DIR=/usr/local/share/claude-env
CLAUDE_ENV_CHECK_SERVERS=true
CLAUDE_ENV_TEAM=''
# In a new container every npx-launched server is downloaded on its first start, which can take longer than
# the startupTimeout a layer sets for a warm start; the check allows each server this long instead.
STARTUP_TIMEOUT="${CLAUDE_ENV_CHECK_STARTUP_TIMEOUT:-120s}"
# Beyond this the whole check is not worth waiting for.
CHECK_TIMEOUT="${CLAUDE_ENV_CHECK_TIMEOUT:-300}"
# shellcheck source=/dev/null
[ -f "${INSTALL_DIR}/options.env" ] && . "${INSTALL_DIR}/options.env"
# say, has_project_layer: what both lifecycle scripts share, installed beside them.
# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

if [ "${CLAUDE_ENV_CHECK_SERVERS}" != true ]; then
    say "checkServers is off; run 'claude-env mcp check' to check the MCP servers."
    exit 0
fi
if ! has_project_layer; then
    say "no .claude-env/project.yaml (or .yml, .json) in $(pwd); no servers to check."
    exit 0
fi

set -- mcp check --timeout "${STARTUP_TIMEOUT}"
if [ -n "${CLAUDE_ENV_TEAM}" ]; then
    set -- "$@" --team "${CLAUDE_ENV_TEAM}"
fi
say "checking the MCP servers of $(pwd) (at most ${CHECK_TIMEOUT}s)"
status=0
timeout "${CHECK_TIMEOUT}" claude-env "$@" || status=$?
case "${status}" in
    0) say "all required MCP servers are healthy." ;;
    1) say "some MCP servers are not healthy (exit 1); see above, and run 'claude-env mcp check' again once fixed." ;;
    4) say "the workspace could not be loaded (exit 4); fix the layer files and run 'claude-env mcp check'." ;;
    124) say "the check took longer than ${CHECK_TIMEOUT}s and was stopped; run 'claude-env mcp check' to retry." ;;
    127) say "the claude-env command was not found; reinstall the feature." ;;
    *) say "the check failed (exit ${status}); run 'claude-env mcp check --debug' for details." ;;
esac
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "${node_major}" -lt 20 ]; then
    say "note: this container runs Node.js $(node --version 2>/dev/null); servers that need Node.js 20 or later (such as @upstash/context7-mcp) crash on it. Add ghcr.io/devcontainers/features/node for a newer one."
fi
say "the container starts either way."
exit 0
