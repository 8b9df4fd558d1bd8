#!/bin/sh
# Sourced by post-create.sh and post-start.sh: what both lifecycle scripts do the same way.

say() {
    echo "claude-env: $*"
}

# Succeeds when the workspace folder has a project layer, under the names the engine looks for, in its order
# (engine/src/discovery.ts LAYER_EXTENSIONS; test/feature/projectLayer.test.ts keeps them in step).
has_project_layer() {
    for name in project.yaml project.yml project.json; do
        [ -f ".claude-env/${name}" ] && return 0
    done
    return 1
}

# The commits .claude-env/lock.yaml pins, shortened, separated by spaces (the lock's own format: `commit: <40 hex>`).
locked_commits() {
    sed -n 's/^ *commit: *\([0-9a-f]\{12\}\)[0-9a-f]\{28\} *$/\1/p' .claude-env/lock.yaml | tr '\n' ' ' | sed 's/ $//'
}

# Succeeds when .claude-env/lock.yaml pins the given commit.
locked_commit_is() {
    grep -Eq "^ *commit: *$1 *\$" .claude-env/lock.yaml
}

# Succeeds when the project layer names at least one team (`teams: [web]`, a block list, or JSON's "teams": ["web"]).
project_names_teams() {
    grep -Eq '^ {0,2}"?teams"? *: *(\[ *[^] ]|$)' .claude-env/project.yaml .claude-env/project.yml .claude-env/project.json 2>/dev/null
}
