#!/usr/bin/env bash
# For tests only: builds a local stand-in for Keycloak's official image, tagged
#
#     quay.io/keycloak/keycloak:26.7.4        (the version is <keycloak.version> of pom.xml)
#
# in podman's storage, so that docker/Dockerfile (FROM quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}) builds unchanged
# with `podman build --pull=never` on machines that cannot pull from quay.io (../../.ci/run, ImageIT, ComposeIT).
# The image users build stays FROM the official one; this stand-in only copies its layout: Keycloak's distribution
# (the keycloak-quarkus-dist zip from Maven Central, the very files the official image holds) in /opt/keycloak,
# owned by user 1000 (keycloak, group root) and group-writable, with an empty data/, a Java 17 runtime, ENTRYPOINT
# kc.sh.
#
# Two layers, each skipped when it already exists (a second run takes a second):
#   localhost/authority-test-base/debian-jre:17  Debian bookworm minbase + openjdk-17-jre-headless, by debootstrap
#                                                from the mirror apt uses (about 90 s the first time)
#   quay.io/keycloak/keycloak:<version>          the distribution on top (Containerfile next to this script)
#
# Usage: docker/test-base/build.sh [--force] [keycloak-version]   (default: <keycloak.version> of pom.xml;
#        --force builds the distribution layer again even when the tag exists)
# Needs: podman (or docker), debootstrap, unzip, root (debootstrap); the dist zip in ~/.m2 (any ./mvnw verify puts it there).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

force=false
if [ "${1:-}" = "--force" ]; then force=true; shift; fi
version="${1:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$root/pom.xml" | head -n 1)}"
engine="${CONTAINER_ENGINE:-$(command -v podman || command -v docker)}"
jre_image="localhost/authority-test-base/debian-jre:17"
kc_image="quay.io/keycloak/keycloak:$version"

exists() { "$engine" image inspect "$1" >/dev/null 2>&1; }

if ! $force && exists "$kc_image"; then
  echo "test-base: $kc_image exists"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/authority-test-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if ! exists "$jre_image"; then
  # the Debian mirror apt uses here (deb822 sources first, then the one-line format)
  mirror="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)"
  [ -n "$mirror" ] || mirror="$(sed -n 's/^deb  *\(\[[^]]*\] *\)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  echo "test-base: debootstrap bookworm from $mirror (about 90 s)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | "$engine" import - "$jre_image" >/dev/null
  rm -rf "$work/rootfs"
fi

zip="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$version/keycloak-quarkus-dist-$version.zip"
[ -f "$zip" ] || { echo "test-base: $zip is missing; run ./mvnw verify (or dependency:get) first" >&2; exit 1; }
mkdir -p "$work/context"
unzip -q "$zip" -d "$work/context"
mv "$work/context/keycloak-$version" "$work/context/keycloak"
# as in the official image: a data directory, and everything group-writable (any uid of group root may run it);
# done here so that the image keeps one layer of the distribution (a RUN chmod would copy it again)
mkdir -p "$work/context/keycloak/data"
chmod -R g+rwX "$work/context/keycloak"
cp "$here/Containerfile" "$work/context/"
"$engine" build --pull=never --build-arg "JRE_IMAGE=$jre_image" -t "$kc_image" "$work/context"
echo "test-base: built $kc_image"
