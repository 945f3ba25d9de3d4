#!/usr/bin/env bash
# Runs a preconfigured Keycloak carrying the pack, in the foreground, in development mode.
#
#   ./run.sh                       # http://localhost:8080, embedded dev-file database
#   KC_HTTP_PORT=18080 ./run.sh    # another port
#   KC_DB=postgres KC_DB_URL=jdbc:postgresql://127.0.0.1:5432/keycloak KC_DB_USERNAME=postgres ./run.sh
#
# Every KC_* variable of Keycloak is passed through unchanged. The distribution is fetched once from
# Maven Central into .keycloak/ (kept between runs, with the dev-file database in its data/ folder).
# Extra arguments go to `kc.sh start-dev`.
#
#   ./run.sh import-auth0 users.ndjson [password-hashes.ndjson]   # Auth0's exports into the running server
#   ./run.sh convert-auth0 users.ndjson [password-hashes.ndjson] > authority-users-0.json
#                                  # the same as a realm-import users file, for CI imports (no server needed)
#   ./run.sh apply-pack REALM [--dry-run] [--bind-flows] [--force]   # the pack onto a realm of a running server
#   ./run.sh remove-pack REALM [--dry-run]                           # and off it (realm-config/pack-realm.sh,
#                                  # docs/existing-keycloak.md; AUTHORITY_URL, KC_BOOTSTRAP_ADMIN_* as import-auth0)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
invoked_from=$PWD
cd "$root"

die() { echo "run.sh: $*" >&2; exit 1; }

# --- ./run.sh import-auth0 USERS.ndjson [PASSWORD-HASHES.ndjson]: Auth0's exports into a running server --------
# Sends the files in parts of AUTHORITY_IMPORT_CHUNK lines (default 500) to the pack's admin endpoint
# /admin/realms/$AUTHORITY_REALM/auth0-import/{users,password-hashes}, as the admin KC_BOOTSTRAP_ADMIN_USERNAME /
# KC_BOOTSTRAP_ADMIN_PASSWORD (defaults admin/admin) of AUTHORITY_URL (default http://localhost:$KC_HTTP_PORT).
# Idempotent (a second run changes nothing) and resumable (FILE.import-state remembers the lines done; an
# interrupted run goes on from there). Failed lines go to FILE.import-failures with their numbers and reasons.
import_auth0() {
  local users=${1:-} hashes=${2:-}
  # file names are the caller's, relative to where the command was started
  [ -z "$users" ] || [[ "$users" = /* ]] || users="$invoked_from/$users"
  [ -z "$hashes" ] || [[ "$hashes" = /* ]] || hashes="$invoked_from/$hashes"
  [ -n "$users" ] && [ -f "$users" ] || die "usage: ./run.sh import-auth0 USERS.ndjson [PASSWORD-HASHES.ndjson] (Auth0's bulk user export and, optionally, its password-hash export)"
  [ -z "$hashes" ] || [ -f "$hashes" ] || die "no such file: $hashes"
  command -v curl >/dev/null 2>&1 || die "curl is needed (Debian: apt-get install curl)"
  local url=${AUTHORITY_URL:-http://localhost:${KC_HTTP_PORT:-8080}} realm=${AUTHORITY_REALM:-authority}
  local chunk=${AUTHORITY_IMPORT_CHUNK:-500} secrets
  secrets=$(mktemp -d) && chmod 700 "$secrets"
  trap 'rm -rf "$secrets"' RETURN
  # the admin password and the token go through files, never on a command line (ps would show them)
  printf 'grant_type=password&client_id=admin-cli&username=%s&password=%s' \
    "$(printf '%s' "${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" | form_encode)" "$(printf '%s' "${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" | form_encode)" > "$secrets/form"
  local kind file total done_lines state failures answer status summary
  for kind in users password-hashes; do
    file=$users; [ "$kind" = password-hashes ] && file=$hashes
    [ -n "$file" ] || continue
    total=$(awk 'END { print NR }' "$file")
    state="$file.import-state"; failures="$file.import-failures"
    done_lines=0
    if [ -f "$state" ]; then done_lines=$(cat "$state"); echo "run.sh: resuming $file after line $done_lines"; else : > "$failures"; fi
    local created=0 updated=0 unchanged=0 failed=0
    while [ "$done_lines" -lt "$total" ]; do
      curl -sS -o "$secrets/token.json" "$url/realms/master/protocol/openid-connect/token" --data-binary "@$secrets/form" \
        -H 'Content-Type: application/x-www-form-urlencoded' || die "cannot reach $url (is the server running? AUTHORITY_URL=...)"
      printf 'Authorization: Bearer %s' "$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$secrets/token.json")" > "$secrets/auth"
      grep -q 'Bearer .' "$secrets/auth" || die "the admin sign-in at $url failed: set KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD"
      awk -v from=$((done_lines + 1)) -v to=$((done_lines + chunk)) 'NR > to { exit } NR >= from' "$file" > "$secrets/part"
      status=$(curl -sS -o "$secrets/answer" -w '%{http_code}' -X POST -H "@$secrets/auth" -H 'Content-Type: application/x-ndjson' \
        -H 'Accept: text/plain' --data-binary "@$secrets/part" "$url/admin/realms/$realm/auth0-import/$kind?first_line=$((done_lines + 1))") \
        || die "the upload to $url broke off; run the same command again to go on after line $done_lines"
      [ "$status" = 200 ] || die "$url answered $status to the $kind import: $(head -c 300 "$secrets/answer"); nothing after line $done_lines was imported"
      summary=$(head -n 1 "$secrets/answer")
      created=$((created + $(sed -n 's/.*created=\([0-9]*\).*/\1/p' <<< "$summary")))
      updated=$((updated + $(sed -n 's/.*updated=\([0-9]*\).*/\1/p' <<< "$summary")))
      unchanged=$((unchanged + $(sed -n 's/.*unchanged=\([0-9]*\).*/\1/p' <<< "$summary")))
      failed=$((failed + $(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<< "$summary")))
      tail -n +2 "$secrets/answer" >> "$failures"
      done_lines=$((done_lines + chunk)); [ "$done_lines" -gt "$total" ] && done_lines=$total
      echo "$done_lines" > "$state"
      local width=40 filled=$((done_lines * 40 / (total > 0 ? total : 1)))
      printf '\r%-16s [%-*s] %3d%% %d/%d lines' "$kind" "$width" "$(printf '%*s' "$filled" '' | tr ' ' '#')" $((done_lines * 100 / (total > 0 ? total : 1))) "$done_lines" "$total" >&2
    done
    echo >&2
    rm -f "$state"
    echo "$kind: created $created, updated $updated, unchanged $unchanged, failed $failed$([ "$failed" -gt 0 ] && echo " (see $failures)")"
  done
}
# form-encodes stdin (the admin credentials) with nothing but bash
form_encode() {
  local LC_ALL=C s c i out=
  s=$(cat)
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in [a-zA-Z0-9.~_-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}
case "${1:-}" in
  apply-pack) shift; AUTHORITY_URL=${AUTHORITY_URL:-http://localhost:${KC_HTTP_PORT:-8080}} exec "$root/realm-config/pack-realm.sh" apply "$@" ;;
  remove-pack) shift; AUTHORITY_URL=${AUTHORITY_URL:-http://localhost:${KC_HTTP_PORT:-8080}} exec "$root/realm-config/pack-realm.sh" remove "$@" ;;
esac
if [ "${1:-}" = "import-auth0" ]; then
  shift
  import_auth0 "$@"
  exit 0
fi
mode=run
if [ "${1:-}" = "convert-auth0" ]; then
  mode=convert
  shift
fi

# --- ./run.sh convert-auth0 USERS.ndjson [PASSWORD-HASHES.ndjson]: a realm-import users file ---------------------
# Writes Auth0's exports as Keycloak's realm-import users file ({"realm": ..., "users": [...]}) to standard output,
# with the import endpoint's mapping, for the realm in AUTHORITY_REALM_FILE (default realm-config/authority-realm.json).
# Put it beside the realm file in data/import (kc.sh start --import-realm) or give it to kc.sh import. The report
# (counts, refused lines with their numbers) goes to standard error; exit 1 when lines were refused.
convert_auth0() {
  local users=${1:-} hashes=${2:-} realm_file=${AUTHORITY_REALM_FILE:-$root/realm-config/authority-realm.json}
  [ -z "$users" ] || [[ "$users" = /* ]] || users="$invoked_from/$users"
  [ -z "$hashes" ] || [[ "$hashes" = /* ]] || hashes="$invoked_from/$hashes"
  [[ "$realm_file" = /* ]] || realm_file="$invoked_from/$realm_file"
  [ -n "$users" ] && [ -f "$users" ] || die "usage: ./run.sh convert-auth0 USERS.ndjson [PASSWORD-HASHES.ndjson] > USERS.json"
  [ -z "$hashes" ] || [ -f "$hashes" ] || die "no such file: $hashes"
  [ -f "$realm_file" ] || die "no such realm file: $realm_file (AUTHORITY_REALM_FILE)"
  local cp=providers/auth0-import/target/authority-auth0-import.jar jar
  for jar in "$kc_home"/lib/lib/main/com.fasterxml.jackson.core.jackson-{core,databind,annotations}-*.jar; do
    cp+=":$jar"
  done
  "$java" -cp "$cp" dev.authoritypack.keycloak.auth0import.Auth0RealmJson "$realm_file" "$users" ${hashes:+"$hashes"}
}

# --- Java 17 or newer -------------------------------------------------------------------------
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
  [ -x "$java" ] || die "Java 17 or newer is required, but JAVA_HOME=$JAVA_HOME has no bin/java. Install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless) or fix JAVA_HOME."
else
  java=$(command -v java || true)
  [ -n "$java" ] || die "Java 17 or newer is required, but no 'java' is on the PATH. Install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless)."
fi
java_version=$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
java_major=${java_version%%.*}
[ "$java_major" = "1" ] && java_major=$(echo "$java_version" | cut -d. -f2)
if ! [[ "$java_major" =~ ^[0-9]+$ ]] || [ "$java_major" -lt 17 ]; then
  die "Java 17 or newer is required, but $java is version ${java_version:-unknown}. Install a JDK 17+ or point JAVA_HOME at one."
fi

# --- the port must be free --------------------------------------------------------------------
port=${KC_HTTP_PORT:-8080}
if [ "$mode" = run ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "port $port is already in use (is another Keycloak running?). Stop it or choose another port: KC_HTTP_PORT=18080 ./run.sh"
fi

# --- build the pack when a jar is missing or older than its sources ---------------------------
kc_version=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)
# every module of the pack: each folder of providers/ with a pom.xml, and themes/ (the module list lives in the poms only)
modules=(themes)
for pom in providers/*/pom.xml; do modules+=("${pom%/pom.xml}"); done
stale=false
for module in "${modules[@]}"; do
  jar=$(ls "$module"/target/authority-*.jar 2>/dev/null | head -n 1)
  if [ -z "$jar" ] || [ -n "$(find "$module/src" "$module/pom.xml" pom.xml -newer "$jar" -print -quit)" ]; then
    stale=true
  fi
done
# the release bundle (distribution/, unpacked into distribution/target/pack/) is what gets installed
bundle=distribution/target/pack
if [ ! -f "$bundle/SHA256SUMS" ] || [ -n "$(find "${modules[@]/%//target}" distribution/pom.xml CHANGELOG.md realm-config/authority-realm.json -maxdepth 1 -name '*.*' -newer "$bundle/SHA256SUMS" -print -quit 2>/dev/null)" ]; then
  stale=true
fi
if $stale; then
  echo "run.sh: building the pack (./mvnw package) ..." >&2
  ./mvnw -q -B package -DskipTests -pl '!it-tests' >&2
fi
jars=(distribution/target/pack/providers/authority-*.jar)

# --- Keycloak from Maven Central, unpacked once -----------------------------------------------
kc_home="$root/.keycloak/keycloak-$kc_version"
if [ ! -x "$kc_home/bin/kc.sh" ]; then
  echo "run.sh: fetching org.keycloak:keycloak-quarkus-dist:$kc_version:zip from Maven Central ..." >&2
  ./mvnw -q -B dependency:unpack -Dartifact="org.keycloak:keycloak-quarkus-dist:$kc_version:zip" \
    -DoutputDirectory="$root/.keycloak" -Dmdep.overWriteReleases=true >&2
  chmod +x "$kc_home"/bin/*.sh
fi

if [ "$mode" = convert ]; then
  convert_auth0 "$@"
  exit $?
fi

# --- install the pack and the realm -----------------------------------------------------------
rm -f "$kc_home"/providers/authority-*.jar
cp "${jars[@]}" "$kc_home/providers/"
mkdir -p "$kc_home/data/import"
rm -f "$kc_home"/data/import/authority-*.json
# development-only sample data, never part of the Docker image: the demo user (a users file beside the realm,
# as Keycloak's directory export writes it) and the dev clients, put at the head of the realm's "clients" list
# (Keycloak has no import format for clients alone)
DEV_CLIENTS=$(sed '1d;$d' realm-config/dev/authority-clients.json) awk '
  !done && /^  "clients": \[$/ { print; print ENVIRON["DEV_CLIENTS"] ","; done = 1; next }
  { print }
  END { if (!done) exit 3 }' realm-config/authority-realm.json > "$kc_home/data/import/authority-realm.json" \
  || die "realm-config/authority-realm.json has no '  \"clients\": [' line to add the development clients to"
cp realm-config/dev/authority-users-*.json "$kc_home/data/import/"

# --- a local mail catcher, unless AUTHORITY_SMTP_HOST names a real mail server -------------------
# GreenMail standalone (Maven Central) on 127.0.0.1 catches every mail the realm sends (password reset,
# email verification) and shows it through its HTTP API. The realm export's smtpServer reads AUTHORITY_SMTP_*
# when the realm is imported (the first start on a database).
gm_version=2.1.13
gm_pid=
if [ -z "${AUTHORITY_SMTP_HOST:-}" ]; then
  smtp_port=${AUTHORITY_DEV_SMTP_PORT:-3025}
  mail_api_port=${AUTHORITY_DEV_MAIL_API_PORT:-8025}
  for p in "$smtp_port" "$mail_api_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "port $p (development mail catcher) is already in use. Free it, choose others (AUTHORITY_DEV_SMTP_PORT=13025 AUTHORITY_DEV_MAIL_API_PORT=18025 ./run.sh) or use your own SMTP server (AUTHORITY_SMTP_HOST=... ./run.sh)"
    fi
  done
  gm_jar="$root/.keycloak/greenmail-standalone-$gm_version.jar"
  if [ ! -f "$gm_jar" ]; then
    echo "run.sh: fetching com.icegreen:greenmail-standalone:$gm_version from Maven Central ..."
    ./mvnw -q -B dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$gm_version" -DoutputDirectory="$root/.keycloak"
  fi
  "$java" -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$smtp_port" \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$mail_api_port" -Dgreenmail.auth.disabled \
    -jar "$gm_jar" > "$root/.keycloak/mail-catcher.log" 2>&1 &
  gm_pid=$!
  trap 'kill "$gm_pid" 2>/dev/null || true' EXIT
  export AUTHORITY_SMTP_HOST=127.0.0.1 AUTHORITY_SMTP_PORT="$smtp_port"
  export AUTHORITY_SMTP_FROM=${AUTHORITY_SMTP_FROM:-no-reply@authority.localhost}
  mail_line="  mail catcher    http://127.0.0.1:$mail_api_port/   (GreenMail; a user's mails: curl http://127.0.0.1:$mail_api_port/api/user/demo@example.com/messages/INBOX)"
else
  mail_line="  mail            sent through $AUTHORITY_SMTP_HOST:${AUTHORITY_SMTP_PORT:-25} (AUTHORITY_SMTP_*)"
fi

export KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
export KC_BOOTSTRAP_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
base="http://localhost:$port"
cat <<EOF
run.sh: starting Keycloak $kc_version with the pack (database: ${KC_DB:-dev-file}); Ctrl-C stops it.
  admin console   $base/admin/   (user $KC_BOOTSTRAP_ADMIN_USERNAME, password $KC_BOOTSTRAP_ADMIN_PASSWORD, only if this database has no admin yet)
  realm issuer    $base/realms/authority
  discovery       $base/realms/authority/.well-known/openid-configuration
  health check    $base/health_check   and   $base/realms/authority/health_check
  demo user       demo@example.com / demo-password   (development data)
$mail_line
EOF

export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$java")")")}
# kc.sh runs in the background so that this script can stop the mail catcher after it: Ctrl-C or a TERM to
# this script stops Keycloak cleanly (kc.sh forwards the signal to Java and waits), then the catcher.
"$kc_home/bin/kc.sh" start-dev --import-realm "$@" &
kc_pid=$!
trap 'kill -TERM "$kc_pid" 2>/dev/null || true' INT TERM
status=0
wait "$kc_pid" || status=$?
if kill -0 "$kc_pid" 2>/dev/null; then
  wait "$kc_pid" || status=$?
fi
exit "$status"
