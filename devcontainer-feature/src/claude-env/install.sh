#!/bin/sh
# Installs the claude-env CLI from the bundle shipped in this folder (no network needed for it), plus Node.js
# from the distribution when the image has none, and the lifecycle scripts that devcontainer-feature.json runs.
# The devcontainer CLI runs this as root from a temporary copy of the feature folder that it deletes afterwards.
set -eu

APPLY_ON_CREATE="${APPLYONCREATE:-true}"
CHECK_SERVERS="${CHECKSERVERS:-true}"
TEAM="${TEAM:-}"
INSTALL_CLAUDE_CODE="${INSTALLCLAUDECODE:-false}"
ORG_SOURCE="${ORGSOURCE:-}"
ORG_REF="${ORGREF:-}"
ORG_PATH="${ORGPATH:-}"

USERNAME="${_REMOTE_USER:-root}"
USER_HOME="${_REMOTE_USER_HOME:-}"

FEATURE_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
INSTALL_DIR=/usr/local/share/claude-env
NPM_PREFIX="${INSTALL_DIR}/npm-global"
# The node feature puts Node here but its PATH entry is only set once every feature is installed.
NVM_NODE_BIN=/usr/local/share/nvm/current/bin
MIN_NODE_MAJOR=18

if [ "$(id -u)" -ne 0 ]; then
    echo 'claude-env: install.sh must run as root; the devcontainer CLI does this for you.' >&2
    exit 1
fi

# Prints a message and stops the build.
fail() {
    echo "claude-env: $*" >&2
    exit 1
}

# Accepts only the literal booleans; the devcontainer CLI passes option values unescaped.
check_boolean() {
    case "$2" in
        true | false) ;;
        *) fail "option $1 is '$2'; valid values: true, false" ;;
    esac
}

# Accepts a comma-separated list of team names, the same names .claude-env/project.yaml allows.
check_team() {
    case "$1" in
        '') return 0 ;;
        ,* | *, | *,,* | *[!A-Za-z0-9._,-]*)
            fail "option team is '$1'; valid values: empty, or team names of letters, digits, '.', '_' and '-' separated by commas (e.g. web or web,platform)"
            ;;
    esac
}

# Reads a key from /etc/os-release without sourcing it into this shell.
os_release() {
    sed -n "s/^$1=//p" /etc/os-release 2>/dev/null | tr -d '"' | head -n 1
}

# True on Debian, Ubuntu and their derivatives, where apt installs Node.js.
is_debian_like() {
    case " $(os_release ID) $(os_release ID_LIKE) " in
        *" debian "* | *" ubuntu "*) return 0 ;;
        *) return 1 ;;
    esac
}

# Major version of the node on PATH, or nothing when there is none.
node_major() {
    command -v node >/dev/null 2>&1 || return 0
    node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

apt_updated=false
# Fetches the package lists once per run.
apt_update() {
    if [ "${apt_updated}" = false ]; then
        apt-get update -qq
        apt_updated=true
    fi
}

# Major version apt would install for a package, or nothing when it has none.
apt_candidate_major() {
    apt_update
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: \([0-9]*:\)\{0,1\}\([0-9][0-9]*\).*/\2/p'
}

# Installs packages from the distribution without recommends.
apt_install() {
    apt_update
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Makes sure Node.js >= 18 and npx are available, installing the distribution's packages when they are missing.
ensure_node() {
    if [ -x "${NVM_NODE_BIN}/node" ]; then
        PATH="${NVM_NODE_BIN}:${PATH}"
        export PATH
    fi
    major=$(node_major)
    if [ -n "${major}" ] && [ "${major}" -ge "${MIN_NODE_MAJOR}" ] && command -v npx >/dev/null 2>&1; then
        return 0
    fi
    is_debian_like || fail "Node.js >= ${MIN_NODE_MAJOR} with npm is needed and this feature installs it only on Debian and Ubuntu; this image is '$(os_release PRETTY_NAME)'. Add ghcr.io/devcontainers/features/node before this feature."
    if [ -n "${major}" ] && [ "${major}" -lt "${MIN_NODE_MAJOR}" ]; then
        fail "Node.js ${major} is installed but claude-env needs ${MIN_NODE_MAJOR} or later. Add ghcr.io/devcontainers/features/node with a newer version."
    fi
    if [ -z "${major}" ]; then
        candidate=$(apt_candidate_major nodejs)
        if [ -z "${candidate}" ] || [ "${candidate}" -lt "${MIN_NODE_MAJOR}" ]; then
            fail "$(os_release PRETTY_NAME) packages Node.js ${candidate:-not at all}, older than ${MIN_NODE_MAJOR}. Add ghcr.io/devcontainers/features/node before this feature."
        fi
        apt_install ca-certificates nodejs npm
        if [ "${candidate}" -lt 20 ]; then
            echo "claude-env: installed Node.js ${candidate} from $(os_release PRETTY_NAME); some MCP servers need Node.js 20 or later, which ghcr.io/devcontainers/features/node provides."
        fi
        major=$(node_major)
        if [ -z "${major}" ] || [ "${major}" -lt "${MIN_NODE_MAJOR}" ]; then
            fail "the distribution's Node.js is ${major:-missing}, older than ${MIN_NODE_MAJOR}. Add ghcr.io/devcontainers/features/node before this feature."
        fi
    else
        # Node is there without npx, which the MCP servers are launched with.
        apt_install npm
    fi
}

# Installs the bundled CLI and a wrapper on PATH that finds node at run time (the node feature may change it).
install_cli() {
    [ -f "${FEATURE_DIR}/bundle/cli.js" ] \
        || fail "the CLI bundle is missing from the feature (bundle/cli.js); build the feature with 'npm run package:feature'."
    mkdir -p "${INSTALL_DIR}/lifecycle"
    cp "${FEATURE_DIR}/bundle/cli.js" "${INSTALL_DIR}/cli.js"
    cp "${FEATURE_DIR}/lifecycle/post-create.sh" "${FEATURE_DIR}/lifecycle/post-start.sh" \
        "${FEATURE_DIR}/lifecycle/common.sh" "${INSTALL_DIR}/lifecycle/"
    chmod 0644 "${INSTALL_DIR}/cli.js" "${INSTALL_DIR}/lifecycle/common.sh"
    chmod 0755 "${INSTALL_DIR}/lifecycle/post-create.sh" "${INSTALL_DIR}/lifecycle/post-start.sh"
    cat >/usr/local/bin/claude-env <<EOF
#!/bin/sh
# Installed by the claude-env dev container feature.
if command -v node >/dev/null 2>&1; then
    exec node ${INSTALL_DIR}/cli.js "\$@"
fi
for node in ${NVM_NODE_BIN}/node /usr/bin/node /usr/local/bin/node; do
    if [ -x "\$node" ]; then exec "\$node" ${INSTALL_DIR}/cli.js "\$@"; fi
done
echo 'claude-env: node is not installed in this container' >&2
exit 127
EOF
    chmod 0755 /usr/local/bin/claude-env
}

# Records the validated options for the lifecycle scripts, which run after this folder is gone.
write_options() {
    cat >"${INSTALL_DIR}/options.env" <<EOF
# Written by the claude-env feature's install.sh; read by lifecycle/post-create.sh and post-start.sh.
CLAUDE_ENV_APPLY_ON_CREATE=${APPLY_ON_CREATE}
CLAUDE_ENV_CHECK_SERVERS=${CHECK_SERVERS}
CLAUDE_ENV_TEAM='${TEAM}'
EOF
    chmod 0644 "${INSTALL_DIR}/options.env"
}

# Installs Claude Code into a prefix the remote user owns, as that user, so it can update itself without root.
install_claude_code() {
    id "${USERNAME}" >/dev/null 2>&1 \
        || fail "installClaudeCode needs the remote user '${USERNAME}' to exist; add ghcr.io/devcontainers/features/common-utils to create it."
    home="${USER_HOME:-$(getent passwd "${USERNAME}" | cut -d: -f6)}"
    group=$(id -gn "${USERNAME}")
    mkdir -p "${NPM_PREFIX}"
    chown -R "${USERNAME}:${group}" "${NPM_PREFIX}"
    npm_bin=$(command -v npm)
    # A throwaway cache keeps the several hundred megabytes of downloaded tarballs out of the image.
    npm_cache=$(mktemp -d)
    chown "${USERNAME}:${group}" "${npm_cache}"
    status=0
    runuser -u "${USERNAME}" -- env HOME="${home}" PATH="${PATH}" \
        "${npm_bin}" install --global --prefix "${NPM_PREFIX}" --cache "${npm_cache}" --no-audit --no-fund --loglevel=error \
        @anthropic-ai/claude-code || status=$?
    rm -rf "${npm_cache}"
    [ "${status}" -eq 0 ] || fail "installing @anthropic-ai/claude-code from the npm registry failed (see npm's message above)."
    echo "claude-env: Claude Code installed in ${NPM_PREFIX} for ${USERNAME}: $("${NPM_PREFIX}/bin/claude" --version 2>/dev/null || echo 'version unknown')"
}

check_boolean applyOnCreate "${APPLY_ON_CREATE}"
check_boolean checkServers "${CHECK_SERVERS}"
check_boolean installClaudeCode "${INSTALL_CLAUDE_CODE}"
check_team "${TEAM}"
# check_policy_options, ensure_git, render_policy, remove_policy: the org's policy as managed settings.
# shellcheck source=policy.sh
. "${FEATURE_DIR}/policy.sh"
check_policy_options

ensure_node
if [ -n "${ORG_SOURCE}" ]; then
    ensure_git
fi
install_cli
if [ -n "${ORG_SOURCE}" ]; then
    render_policy
else
    remove_policy
fi
write_options
if [ "${INSTALL_CLAUDE_CODE}" = true ]; then
    install_claude_code
fi
if [ "${apt_updated}" = true ]; then
    rm -rf /var/lib/apt/lists/*
fi

# The bundle targets Node.js 18; make sure it really runs here before the container relies on it.
cli_version=$(/usr/local/bin/claude-env --version) \
    || fail "the installed CLI does not run with node $(node --version); please report this with the output above."
echo "claude-env: ${cli_version} installed with node $(node --version) for user ${USERNAME}."
