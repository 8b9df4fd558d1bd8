#!/bin/sh
# postCreateCommand: writes Claude Code's files from the layers in the workspace folder, as the remote user.
# It always exits 0: a broken layer must not stop the container from being created, only be reported clearly.
INSTALL_DIR=/usr/local/share/claude-env
CLAUDE_ENV_APPLY_ON_CREATE=true
CLAUDE_ENV_TEAM=''
# shellcheck source=/dev/null
[ -f "${INSTALL_DIR}/options.env" ] && . "${INSTALL_DIR}/options.env"
# say, has_project_layer: what both lifecycle scripts share, installed beside them.
# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

if [ "${CLAUDE_ENV_APPLY_ON_CREATE}" != true ]; then
    say "applyOnCreate is off; run 'claude-env apply' in the workspace to write Claude Code's files."
    exit 0
fi
if ! has_project_layer; then
    say "no .claude-env/project.yaml (or .yml, .json) in $(pwd); nothing to apply."
    exit 0
fi

# Org layers from git: bring the locked commit into the cache with the network the container has. --frozen: the
# committed lock is the truth here, it is never written. Without network the container still starts, and says so.
if [ -f .claude-env/lock.yaml ]; then
    say "fetching the org layers pinned in .claude-env/lock.yaml"
    if ! command -v git >/dev/null 2>&1; then
        say "git is not installed in this container, and the org layers are read with it; add ghcr.io/devcontainers/features/git (or set the feature's orgSource option, which installs it)."
    fi
    fetched=0
    claude-env fetch --frozen || fetched=$?
    case "${fetched}" in
        0) ;;
        5) say "the org layers could not be fetched (no network, or no access to the repository, above) and are not in the cache; run 'claude-env fetch' when the repository can be reached, then 'claude-env apply'." ;;
        *) say "the lock does not match the project layer or the repository (exit ${fetched}, above); run 'claude-env fetch' (or 'claude-env update') outside the container and commit .claude-env/lock.yaml." ;;
    esac
fi

# The managed policy rendered at build time (orgSource) stays as it is until the container is rebuilt: say so when
# the project now pins another commit of the org layers.
if [ -f "${INSTALL_DIR}/policy.env" ]; then
    # shellcheck source=/dev/null
    . "${INSTALL_DIR}/policy.env"
    policy="${CLAUDE_ENV_POLICY_SOURCE} ${CLAUDE_ENV_POLICY_REF} @ $(printf '%.12s' "${CLAUDE_ENV_POLICY_COMMIT}")"
    if [ ! -f .claude-env/lock.yaml ]; then
        say "Claude Code enforces the org's managed settings from ${policy} (${CLAUDE_ENV_POLICY_FILE}); this project pins no org layers from git."
    elif locked_commit_is "${CLAUDE_ENV_POLICY_COMMIT}"; then
        say "Claude Code enforces the org's managed settings from ${policy}, the commit .claude-env/lock.yaml pins."
    else
        say "warning: Claude Code enforces the org's managed settings from ${policy}, rendered when the container was built, but .claude-env/lock.yaml pins $(locked_commits); the policy in ${CLAUDE_ENV_POLICY_FILE} is stale until the container is rebuilt (with orgRef at that commit)."
    fi
    if [ -z "${CLAUDE_ENV_POLICY_TEAMS}" ] && project_names_teams; then
        say "note: the managed settings hold the base layer's policy only, while the project names teams; set the feature's team option to enforce their policy too."
    fi
fi

set -- apply
if [ -n "${CLAUDE_ENV_TEAM}" ]; then
    set -- "$@" --team "${CLAUDE_ENV_TEAM}"
fi
say "applying the layers in $(pwd)${CLAUDE_ENV_TEAM:+ with team ${CLAUDE_ENV_TEAM}}"
status=0
claude-env "$@" || status=$?
case "${status}" in
    0) say "applied: Claude Code's files in $(pwd) are up to date." ;;
    1) say "apply stopped on errors in the layers or while writing (exit 1, listed above); fix them and run 'claude-env apply'." ;;
    3) say "nothing written: files edited by hand were left as they are (exit 3, listed above); 'claude-env apply --force' backs them up and replaces them." ;;
    4) say "nothing written: the workspace could not be loaded (exit 4); fix the layer files and run 'claude-env apply'." ;;
    127) say "the claude-env command was not found; reinstall the feature." ;;
    *) say "apply failed (exit ${status}); run 'claude-env apply --debug' for details." ;;
esac
say "the container starts either way."
exit 0
