#!/bin/bash
# debian:bookworm has no Node.js: the feature installs Debian's nodejs and npm, then applies a workspace.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "node comes from Debian" test "$(command -v node)" = /usr/bin/node
check "claude-env runs" claude-env --version
check "no apt package lists are left behind" [ -z "$(find /var/lib/apt/lists -name '*_Packages*' -print -quit)" ]

workspace=$(mktemp -d)
mkdir -p "${workspace}/.claude-env"
cat >"${workspace}/.claude-env/project.yaml" <<'YAML'
version: 1
mcpServers:
  memory:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-memory"]
outputs:
  mcpJson: true
YAML
check "postCreateCommand exits 0 and says it applied" bash -c "cd '${workspace}' && /usr/local/share/claude-env/lifecycle/post-create.sh | grep -q 'claude-env: applied'"
check "apply wrote .mcp.json with the server" grep -q '"memory"' "${workspace}/.mcp.json"
check "postStartCommand exits 0 and reports the server" bash -c "cd '${workspace}' && /usr/local/share/claude-env/lifecycle/post-start.sh | grep -E '^memory +ok'"

reportResults
