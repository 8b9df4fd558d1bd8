#!/bin/bash
# The feature installed twice with different options: the second install wins and nothing breaks.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "claude-env still runs" claude-env --version
check "options.env holds exactly one value per option" [ "$(grep -c '^CLAUDE_ENV_APPLY_ON_CREATE=' /usr/local/share/claude-env/options.env)" = 1 ]

reportResults
