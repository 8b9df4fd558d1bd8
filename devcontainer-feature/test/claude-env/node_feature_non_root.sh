#!/bin/bash
# After the node feature, as the non-root user vscode: the feature uses nvm's Node.js and records the team.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "runs as the remote user" test "$(id -un)" = vscode
check "node is the node feature's" bash -c 'command -v node | grep -q /usr/local/share/nvm/'
check "Debian's nodejs was not installed" test ! -e /usr/bin/node
check "claude-env runs for vscode" claude-env --version
check "the team option is recorded" grep -qx "CLAUDE_ENV_TEAM='web'" /usr/local/share/claude-env/options.env
check "vscode cannot change the installed CLI" test ! -w /usr/local/share/claude-env/cli.js

reportResults
