#!/bin/sh
# Builds, once, the Debian bookworm roots that the dev container feature tests and benchmark install into, and
# caches them as tarballs under .cache/debian-root/ so later runs only unpack them.
#
#   scripts/debian-root.sh minbase   -> prints the path of a bare `debootstrap --variant=minbase` root
#   scripts/debian-root.sh node      -> prints the path of the same root with Debian's nodejs and npm installed
#
# Needs root and Debian's package mirror. Installs debootstrap on the host when it is missing.
set -eu

variant="${1:-minbase}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
repo_root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cache_dir="${repo_root}/.cache/debian-root"

# Fails with a message a person can act on.
die() {
    echo "debian-root: $*" >&2
    exit 1
}

# Unmounts what run_in_root mounted, also when the command inside failed.
unmount_root() {
    if mountpoint -q "$1/proc"; then umount "$1/proc"; fi
}

# Runs a shell command inside the root with /proc and DNS available.
run_in_root() {
    root="$1"
    shift
    cp /etc/resolv.conf "${root}/etc/resolv.conf"
    mount -t proc proc "${root}/proc"
    status=0
    chroot "${root}" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        /bin/sh -c "$*" || status=$?
    unmount_root "${root}"
    return "${status}"
}

# Writes the tarball atomically so an interrupted build never leaves a half-written cache behind.
pack_root() {
    tar -C "$1" --numeric-owner -cf "$2.partial" . && mv "$2.partial" "$2"
}

build_minbase() {
    target="$1"
    if ! command -v debootstrap >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    work=$(mktemp -d "${cache_dir}/build.XXXXXX")
    trap 'unmount_root "${work}" 2>/dev/null; rm -rf "${work}"' EXIT
    debootstrap --variant=minbase "${suite}" "${work}" "${mirror}" >"${cache_dir}/debootstrap.log" 2>&1 \
        || die "debootstrap failed, see ${cache_dir}/debootstrap.log"
    # A dev container image ships with empty package lists; so does this root.
    rm -rf "${work}/var/lib/apt/lists/"* "${work}/var/cache/apt/archives/"*.deb
    pack_root "${work}" "${target}"
    rm -rf "${work}"
    trap - EXIT
}

build_node() {
    target="$1"
    base="$2"
    work=$(mktemp -d "${cache_dir}/build.XXXXXX")
    trap 'unmount_root "${work}" 2>/dev/null; rm -rf "${work}"' EXIT
    tar -C "${work}" -xf "${base}"
    run_in_root "${work}" 'apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
        && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb' \
        || die "installing nodejs and npm into the ${suite} root failed"
    pack_root "${work}" "${target}"
    rm -rf "${work}"
    trap - EXIT
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount)"
mkdir -p "${cache_dir}"
minbase="${cache_dir}/${suite}-minbase.tar"
with_node="${cache_dir}/${suite}-node.tar"

case "${variant}" in
    minbase)
        [ -f "${minbase}" ] || build_minbase "${minbase}"
        echo "${minbase}"
        ;;
    node)
        [ -f "${minbase}" ] || build_minbase "${minbase}"
        [ -f "${with_node}" ] || build_node "${with_node}" "${minbase}"
        echo "${with_node}"
        ;;
    *)
        die "unknown variant '${variant}'; valid variants: minbase, node"
        ;;
esac
