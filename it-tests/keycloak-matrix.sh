#!/usr/bin/env bash
# The Keycloak version matrix (docs/upgrading.md, "Keycloak lines"): the pack's jars, compiled once against the
# main Keycloak (keycloak.version in pom.xml), installed unchanged into the distribution of each supported line and
# started as the suite starts them; the smoke test (SmokeIT, with RouteTableIT: every documented route at both
# bases, real mail) runs on each, and each Keycloak log is searched for linkage errors.
#
#   it-tests/keycloak-matrix.sh                    the supported lines' newest patches (KEYCLOAK_LINES below)
#   it-tests/keycloak-matrix.sh 26.4.7 26.7.5      the given versions
#   MATRIX_TESTS='SmokeIT' MVN_ARGS=-o it-tests/keycloak-matrix.sh
#
# One Keycloak at a time (each run is the whole reactor build plus one server start). Prints a table, checks Maven
# Central for newer Keycloak releases than those run, and writes the table into docs/upgrading.md between the
# "keycloak-matrix" markers. Exit status 1 when any version failed.
set -uo pipefail

KEYCLOAK_LINES=(26.4.7 26.5.7 26.7.5)
TESTS=${MATRIX_TESTS:-RouteTableIT,SmokeIT,ConsentActionIT,ExistingRealmIT,PackUpgradeIT}
LINKAGE='NoSuchMethodError|NoClassDefFoundError|AbstractMethodError|NoSuchFieldError|IncompatibleClassChangeError'

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=("${KEYCLOAK_LINES[@]}")
main_version=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)
pack_version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
out=it-tests/target/keycloak-matrix
rm -rf "$out" && mkdir -p "$out"

rows=()
failed=0
for v in "${versions[@]}"; do
    echo "== Keycloak $v: the pack ($pack_version, compiled against $main_version), tests $TESTS"
    rm -f it-tests/target/keycloak-dev-file.log
    start=$(date +%s)
    # shellcheck disable=SC2086 # MVN_ARGS holds several options
    ./mvnw -B ${MVN_ARGS:-} verify -pl it-tests -am -Dit.keycloak.version="$v" -Dit.test="$TESTS" \
        -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
        -Dit.postgres.skip=true -Dit.start.minutes="${IT_START_MINUTES:-10}" > "$out/maven-$v.log" 2>&1
    status=$?
    minutes=$(( ($(date +%s) - start + 30) / 60 ))
    cp it-tests/target/keycloak-dev-file.log "$out/keycloak-$v.log" 2>/dev/null || : > "$out/keycloak-$v.log"
    summary=it-tests/target/failsafe-reports/dev-file/failsafe-summary.xml
    tests=$(sed -n 's:.*<completed>\(.*\)</completed>.*:\1:p' "$summary" 2>/dev/null)
    bad=$(( $(sed -n 's:.*<errors>\(.*\)</errors>.*:\1:p' "$summary" 2>/dev/null || echo 0) \
          + $(sed -n 's:.*<failures>\(.*\)</failures>.*:\1:p' "$summary" 2>/dev/null || echo 0) ))
    started=$(grep -c 'Keycloak .* started in' "$out/keycloak-$v.log")
    linkage=$(grep -cE "$LINKAGE" "$out/keycloak-$v.log")
    errors=$(grep -c ' ERROR ' "$out/keycloak-$v.log")
    if [ "$status" -eq 0 ] && [ "$linkage" -eq 0 ] && [ "$started" -gt 0 ]; then
        result=pass
    else
        result=FAIL
        failed=1
        grep -E "$LINKAGE" "$out/keycloak-$v.log" | sort | uniq -c | head -5
        grep -E 'Tests run:.*(Fail|Err)|FAILURE|ERROR\]' "$out/maven-$v.log" | head -10
    fi
    rows+=("| $v | $pack_version | $result | ${tests:-0} run, $bad failed | $linkage | $errors | ${minutes} min |")
    echo "   $result (tests ${tests:-0}, failed $bad, linkage errors $linkage, log ERROR lines $errors)"
done

# newer Keycloak releases than those run: the next patch of each line, the next minor and major
newer=()
for v in "${versions[@]}"; do
    IFS=. read -r major minor patch <<< "$v"
    newer+=("$major.$minor.$((patch + 1))")
done
last="${versions[-1]}"
IFS=. read -r major minor _ <<< "$last"
newer+=("$major.$((minor + 1)).0" "$((major + 1)).0.0")
served=()
for v in "${newer[@]}"; do
    code=$(curl -s -o /dev/null -m 20 -I -w '%{http_code}' \
        "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$v/keycloak-quarkus-dist-$v.zip")
    [ "$code" = 200 ] && served+=("$v")
done

table="| Keycloak | pack | result | tests ($TESTS) | linkage errors in the log | ERROR lines in the log | time |
| --- | --- | --- | --- | --- | --- | --- |
$(printf '%s\n' "${rows[@]}")"
echo
echo "$table"
if [ ${#served[@]} -gt 0 ]; then
    newer_note="Maven Central also served then: ${served[*]} (not run; \`it-tests/keycloak-matrix.sh ${served[*]}\`)."
else
    newer_note="Maven Central served none of ${newer[*]} then."
fi
echo "$newer_note"

# the table into docs/upgrading.md, between its markers
doc=docs/upgrading.md
if grep -q '<!-- keycloak-matrix:begin -->' "$doc"; then
    block=$(printf '%s\n\n%s\n\n%s' "Last run $(date -u '+%Y-%m-%d %H:%M UTC'), \`it-tests/keycloak-matrix.sh ${versions[*]}\`:" "$table" \
        "$newer_note")
    BLOCK="$block" perl -0pi -e 's/(<!-- keycloak-matrix:begin -->\n).*?(\n<!-- keycloak-matrix:end -->)/$1$ENV{BLOCK}$2/s' "$doc"
    echo "written into $doc"
fi
exit $failed
