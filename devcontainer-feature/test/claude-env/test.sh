#!/bin/bash
# Default options on the base image given to `devcontainer features test --base-image` (Debian or Ubuntu).
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "claude-env is on PATH and runs" claude-env --version
check "node is 18 or later" [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ]
check "npx is available for npx-launched servers" npx --version
check "the lifecycle scripts outlived the feature folder" test -x /usr/local/share/claude-env/lifecycle/post-create.sh
check "options default to apply and check" grep -qx 'CLAUDE_ENV_APPLY_ON_CREATE=true' /usr/local/share/claude-env/options.env

reportResults
