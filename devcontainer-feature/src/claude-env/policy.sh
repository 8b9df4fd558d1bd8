#!/bin/sh
# Sourced by install.sh (it uses fail, is_debian_like and apt_install from there): renders the organisation's
# policy as Claude Code managed settings at build time, as root, from the org repository the orgSource, orgRef and
# orgPath options name. The workspace does not exist yet when install.sh runs, but the policy comes only from the
# base and team layers, and those live in the org repository. Claude Code reads managed settings with the highest
# precedence, so the container enforces the org's deny rules and locks whatever a project file says.

POLICY_FOLDER=/etc/claude-code
POLICY_FILE="${POLICY_FOLDER}/managed-settings.d/50-claude-env.json"
# Where the policy came from, for post-create.sh to compare with the project's .claude-env/lock.yaml.
POLICY_RECORD="${INSTALL_DIR}/policy.env"

# Accepts an empty orgSource, a git URL of an ordinary transport, or an absolute path; never a password.
check_org_source() {
    [ -n "$1" ] || return 0
    valid="valid values: empty, a git URL (https://, http://, ssh://, git://, file://, user@host:path) or an absolute path in the image, of letters, digits and . _ ~ : / @ + % -"
    case "$1" in
        -* | *[!A-Za-z0-9._~:/@+%-]*) fail "option orgSource is '$1'; ${valid}" ;;
        https://* | http://* | ssh://* | git://* | file://* | /*) ;;
        [A-Za-z0-9._~-]*@[A-Za-z0-9.-]*:*) ;;
        *) fail "option orgSource is '$1'; ${valid} (a relative path means nothing at build time)" ;;
    esac
    authority="${1#*://}"
    authority="${authority%%/*}"
    case "${1}" in
        *://*)
            case "${authority}" in
                *:*@*) fail "option orgSource holds a password ('user:password@'), which devcontainer.json and the image would keep; give the build read access without one (a repository readable from the build, or a path in the image)" ;;
            esac
            ;;
    esac
}

# Accepts a git ref of letters, digits, '.', '_', '/' and '-'; claude-env checks git's finer rules itself.
check_org_ref() {
    case "$1" in
        '') [ -z "${ORG_SOURCE}" ] || fail "option orgRef is empty; with orgSource, name the branch, tag or commit to render the policy from (e.g. v3 or main)" ;;
        -* | /* | *[!A-Za-z0-9._/-]*) fail "option orgRef is '$1'; valid values: a branch, tag or commit name of letters, digits, '.', '_', '/' and '-'" ;;
    esac
}

# Accepts a relative sub-folder of letters, digits, '.', '_', '/' and '-' that stays inside the repository.
check_org_path() {
    case "$1" in
        '') return 0 ;;
        /* | .. | ../* | */.. | */../* | *[!A-Za-z0-9._/-]*)
            fail "option orgPath is '$1'; valid values: empty, or a sub-folder of the repository (letters, digits, '.', '_', '/' and '-', no '..'), e.g. claude-env"
            ;;
    esac
}

# The policy options make sense only together: a ref or sub-folder without a repository is a mistake.
check_policy_options() {
    check_org_source "${ORG_SOURCE}"
    check_org_ref "${ORG_REF}"
    check_org_path "${ORG_PATH}"
    if [ -z "${ORG_SOURCE}" ] && [ -n "${ORG_REF}${ORG_PATH}" ]; then
        fail "options orgRef and orgPath need orgSource, the org repository to render the managed policy from"
    fi
}

# The system git reads the org repository (the engine never bundles one); installed from the distribution if absent.
ensure_git() {
    command -v git >/dev/null 2>&1 && return 0
    is_debian_like || fail "orgSource needs git, which this feature installs only on Debian and Ubuntu; this image is '$(os_release PRETTY_NAME)'. Add ghcr.io/devcontainers/features/git before this feature."
    apt_install ca-certificates git
    echo "claude-env: installed git from $(os_release PRETTY_NAME) to read orgSource."
}

# The teams of the `team` option as a JSON list: web,platform -> "web","platform" (names are checked already).
teams_json() {
    printf '%s' "$1" | sed 's/[^,][^,]*/"&"/g'
}

# Renders the base layer and the `team` option's teams of orgSource at orgRef into /etc/claude-code, root-owned
# and read-only for everyone else, and records the commit. Any failure stops the build: a container that was
# asked for the org's policy and silently lacks it is worse than a build that says why it cannot have it.
render_policy() {
    work=$(mktemp -d)
    mkdir -p "${work}/project/.claude-env" "${work}/home" "${work}/out"
    path_field=''
    [ -z "${ORG_PATH}" ] || path_field=", \"path\": \"${ORG_PATH}\""
    # Every value is checked against a charset without quotes or backslashes, so it is a JSON string as it is.
    printf '{\n  "version": 1,\n  "source": { "git": "%s", "ref": "%s"%s },\n  "teams": [%s]\n}\n' \
        "${ORG_SOURCE}" "${ORG_REF}" "${path_field}" "$(teams_json "${TEAM}")" >"${work}/project/.claude-env/project.json"
    case "${ORG_SOURCE}" in
        /* | file://*)
            # A repository placed in the image may belong to another user, and git refuses to read those
            # ("dubious ownership"). The image's author named it, and claude-env runs no hook or filter from it.
            git config --file "${work}/home/.gitconfig" safe.directory '*'
            ;;
    esac
    status=0
    # A cache, home and config of its own: nothing of root's account is read, nothing is left in the image.
    (cd "${work}/project" && HOME="${work}/home" XDG_CACHE_HOME="${work}/cache" XDG_CONFIG_HOME="${work}/config" \
        /usr/local/bin/claude-env fetch >"${work}/fetched.txt") || status=$?
    # The commit it pinned; not the advice to commit a lock, which belongs to this throwaway project.
    grep '^source: ' "${work}/fetched.txt" || true
    case "${status}" in
        0) ;;
        5) policy_failed "${work}" "the org repository ${ORG_SOURCE} could not be read at '${ORG_REF}' (above). Check that the build reaches it without a password (a repository readable from the build, or a path in the image), and the ref" ;;
        *) policy_failed "${work}" "reading ${ORG_SOURCE} at '${ORG_REF}' failed (exit ${status}, above)" ;;
    esac
    (cd "${work}/project" && HOME="${work}/home" XDG_CACHE_HOME="${work}/cache" XDG_CONFIG_HOME="${work}/config" \
        /usr/local/bin/claude-env apply --managed "${work}/out" --json >"${work}/report.json") || status=$?
    if [ "${status}" -ne 0 ]; then
        # Once more as text, so the build log names each error's file and line.
        (cd "${work}/project" && HOME="${work}/home" XDG_CACHE_HOME="${work}/cache" XDG_CONFIG_HOME="${work}/config" \
            /usr/local/bin/claude-env apply --managed "${work}/out" --dry-run) >&2 || true
        policy_failed "${work}" "the org layers of ${ORG_SOURCE} at '${ORG_REF}' have errors (exit ${status}, above)"
    fi
    # A value holding ${secret:…} or ${env:…} cannot be enforced machine-wide and must never be resolved into the file.
    left_out=$(node -e 'const r = require(process.argv[1]); process.stdout.write(r.references.join("; "))' "${work}/report.json") \
        || policy_failed "${work}" "the report of 'claude-env apply --managed' could not be read"
    [ -z "${left_out}" ] || policy_failed "${work}" "the org's policy holds references that managed settings cannot resolve: ${left_out}. Write the values themselves in the base or team layer (managed settings are the same for everyone in the container), or leave them to 'claude-env apply'"
    commit=$(sed -n 's/^ *commit: *\([0-9a-f]\{40\}\) *$/\1/p' "${work}/project/.claude-env/lock.yaml" | head -n 1)
    [ -n "${commit}" ] || policy_failed "${work}" "no commit was pinned for ${ORG_SOURCE}"
    install -d -o root -g root -m 0755 "${POLICY_FOLDER}" "${POLICY_FOLDER}/managed-settings.d"
    install -o root -g root -m 0644 "${work}/out/managed-settings.d/50-claude-env.json" "${POLICY_FILE}.partial"
    mv -f "${POLICY_FILE}.partial" "${POLICY_FILE}"
    cat >"${POLICY_RECORD}" <<EOF
# Written by the claude-env feature's install.sh: where ${POLICY_FILE} came from.
CLAUDE_ENV_POLICY_FILE='${POLICY_FILE}'
CLAUDE_ENV_POLICY_SOURCE='${ORG_SOURCE}'
CLAUDE_ENV_POLICY_REF='${ORG_REF}'
CLAUDE_ENV_POLICY_PATH='${ORG_PATH}'
CLAUDE_ENV_POLICY_TEAMS='${TEAM}'
CLAUDE_ENV_POLICY_COMMIT=${commit}
EOF
    chmod 0644 "${POLICY_RECORD}"
    rm -rf "${work}"
    echo "claude-env: managed settings from ${ORG_SOURCE} ${ORG_REF} @ $(printf '%.12s' "${commit}")${TEAM:+ with team ${TEAM}} written to ${POLICY_FILE}; Claude Code in this container enforces them."
}

# Stops the build with the reason, leaving no half-rendered policy behind.
policy_failed() {
    rm -rf "$1"
    fail "no managed settings: $2. The build stops because orgSource asks for the org's policy; remove orgSource to build without it."
}

# A rebuild without orgSource removes the policy an earlier install of this feature wrote, and only that.
remove_policy() {
    [ -f "${POLICY_RECORD}" ] || return 0
    rm -f "${POLICY_FILE}" "${POLICY_RECORD}"
    echo "claude-env: orgSource is empty: removed the managed settings an earlier install wrote (${POLICY_FILE})."
}
