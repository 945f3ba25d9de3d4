#!/usr/bin/env bash
# Puts the Authority pack onto a realm of a running Keycloak, or takes it off again (docs/existing-keycloak.md).
#
#   realm-config/pack-realm.sh apply  REALM [--dry-run] [--bind-flows] [--force]
#   realm-config/pack-realm.sh remove REALM [--dry-run]
#   (the same as ./run.sh apply-pack REALM ... and ./run.sh remove-pack REALM ...)
#
# The work is done by the pack's admin endpoint /admin/realms/REALM/authority-pack/{apply,remove} (realm-setup's
# PackRealmAdminResource), in one transaction of the server: either every part goes in or nothing changes. This
# script only signs the administrator in and sends the pack's realm file (realm-config/authority-realm.json, beside
# this script: the one source of the pack's parts). It needs bash and curl; the pack's jars must be installed.
#
#   AUTHORITY_URL                  the server (default http://localhost:8080)
#   KC_BOOTSTRAP_ADMIN_USERNAME    an administrator of AUTHORITY_ADMIN_REALM (default admin) ...
#   KC_BOOTSTRAP_ADMIN_PASSWORD    ... and the password (default admin)
#   AUTHORITY_ADMIN_REALM          the administrator's realm (default master)
#   AUTHORITY_REALM_FILE           the pack's realm file (default: authority-realm.json beside this script)
#
# Exit status: 0 done (or nothing to do), 2 bad usage, 3 server unreachable, 4 admin sign-in refused or not allowed,
# 5 no such realm, 6 conflict (a flow, client or scope of the realm's own has a pack part's name; nothing changed),
# 1 anything else the server refused (its answer is printed; nothing changed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { local code=$1; shift; echo "pack-realm: $*" >&2; exit "$code"; }
usage="usage: pack-realm.sh apply REALM [--dry-run] [--bind-flows] [--force] | pack-realm.sh remove REALM [--dry-run]"

action=${1:-}; realm=${2:-}
[ "$action" = apply ] || [ "$action" = remove ] || fail 2 "$usage"
[ -n "$realm" ] && [[ "$realm" != -* ]] || fail 2 "$usage"
shift 2
query=
for option in "$@"; do
  case "$option" in
    --dry-run) query+="&dry_run=true" ;;
    --bind-flows) [ "$action" = apply ] || fail 2 "$usage"; query+="&bind_flows=true" ;;
    --force) [ "$action" = apply ] || fail 2 "$usage"; query+="&force=true" ;;
    *) fail 2 "unknown option $option; $usage" ;;
  esac
done
command -v curl >/dev/null 2>&1 || fail 2 "curl is needed (Debian: apt-get install curl)"
url=${AUTHORITY_URL:-http://localhost:8080}; url=${url%/}
admin_realm=${AUTHORITY_ADMIN_REALM:-master}
realm_file=${AUTHORITY_REALM_FILE:-$here/authority-realm.json}
[ "$action" = remove ] || [ -f "$realm_file" ] || fail 2 "no such realm file: $realm_file (AUTHORITY_REALM_FILE)"

encode() { # form-encodes stdin with nothing but bash (the admin's credentials)
  local LC_ALL=C s c i out=
  s=$(cat)
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in [a-zA-Z0-9.~_-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}
secrets=$(mktemp -d) && chmod 700 "$secrets"
trap 'rm -rf "$secrets"' EXIT
# the password and the token go through files, never on a command line (ps would show them)
printf 'grant_type=password&client_id=admin-cli&username=%s&password=%s' \
  "$(printf '%s' "${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" | encode)" "$(printf '%s' "${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" | encode)" > "$secrets/form"
status=$(curl -sS -o "$secrets/token.json" -w '%{http_code}' --data-binary "@$secrets/form" \
  -H 'Content-Type: application/x-www-form-urlencoded' "$url/realms/$admin_realm/protocol/openid-connect/token" 2>"$secrets/curl") \
  || fail 3 "cannot reach $url: $(head -c 200 "$secrets/curl") (is the server running? AUTHORITY_URL=...)"
[ "$status" = 200 ] || fail 4 "the administrator sign-in at $url/realms/$admin_realm was refused ($status): set KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD (and AUTHORITY_ADMIN_REALM)"
printf 'Authorization: Bearer %s' "$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$secrets/token.json")" > "$secrets/auth"

body=(); [ "$action" = apply ] && body=(--data-binary "@$realm_file" -H 'Content-Type: application/json')
status=$(curl -sS -o "$secrets/answer" -w '%{http_code}' -X POST -H "@$secrets/auth" -H 'Accept: text/plain' "${body[@]}" \
  "$url/admin/realms/$realm/authority-pack/$action?${query#&}" 2>"$secrets/curl") \
  || fail 3 "the request to $url broke off: $(head -c 200 "$secrets/curl"); run it again (a request the server did not finish changed nothing)"
case "$status" in
  200) cat "$secrets/answer" ;;
  404) if grep -q 'Realm not found\|realm-not-found' "$secrets/answer" 2>/dev/null; then
         fail 5 "no realm '$realm' at $url"
       fi
       fail 1 "$url has no pack endpoint at /admin/realms/$realm/authority-pack ($status): are the pack's jars installed (and kc.sh build run)?" ;;
  401|403) fail 4 "the administrator may not manage realm '$realm' ($status)" ;;
  409) cat "$secrets/answer" >&2; exit 6 ;;
  *) fail 1 "$url answered $status: $(head -c 500 "$secrets/answer"); nothing was changed" ;;
esac
