#!/bin/bash
# applyOnCreate and checkServers off: both lifecycle commands only say so, and exit 0.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "postCreateCommand says applyOnCreate is off" bash -c '/usr/local/share/claude-env/lifecycle/post-create.sh | grep -q "applyOnCreate is off"'
check "postStartCommand says checkServers is off" bash -c '/usr/local/share/claude-env/lifecycle/post-start.sh | grep -q "checkServers is off"'

reportResults
