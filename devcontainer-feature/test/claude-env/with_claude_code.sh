#!/bin/bash
# installClaudeCode: Claude Code in a prefix the remote user owns, on PATH through containerEnv.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "claude is on PATH from the feature's prefix" test "$(command -v claude)" = /usr/local/share/claude-env/npm-global/bin/claude
check "claude runs" claude --version
check "the prefix belongs to vscode, so Claude Code can update itself" test "$(stat -c %U /usr/local/share/claude-env/npm-global)" = vscode

reportResults
