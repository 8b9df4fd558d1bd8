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
