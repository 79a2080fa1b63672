#!/usr/bin/env bash
# Start-up benchmark: what a cron run costs next to a bare JVM. Measures, interleaved round by round so that both
# see the same machine load, a bare JVM hello-world with the launcher's own flags (the baseline), `--version`,
# `render` of the bundled example, a no-change `apply` (2 Auto Scaling groups, 100 instances, against the fake AWS
# endpoint of src/test/java/dev/haproxysd/testing/FakeAwsMain.java on a loopback port) and `render` of 10,000
# servers from a file. Prints one Markdown table: medians of wall time, CPU time (user + system) and peak RSS, and
# each time as a multiple of the baseline's.
#
#   mvn -q -B package -DskipTests && packaging/bench/startup.sh          # the build tree: target/haproxy-sd
#   HAPROXY_SD=/usr/bin/haproxy-sd packaging/bench/startup.sh            # the installed package
#
# Arguments: [RUNS] measured rounds after one unmeasured warm-up (default 21). Environment: HAPROXY_SD (the
# launcher, default target/haproxy-sd), CDS=none runs without any class-data-sharing archive (default: the
# archive the launcher finds itself, as an operator's run does), TLS=1 serves the fake AWS endpoint over HTTPS.
# Numbers go to packaging/bench/README.md, never to a test.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/packaging/bench/baseline.sh"
runs=${1:-21}
HAPROXY_SD=${HAPROXY_SD:-$here/target/haproxy-sd}
TIME=/usr/bin/time
example=$here/packaging/examples/inventory.json

[ -x "$HAPROXY_SD" ] || { echo "bench: $HAPROXY_SD not found: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: $TIME not found: apt-get install time" >&2; exit 2; }
gson=$(ls "$here"/target/lib/*gson-*.jar 2>/dev/null | head -n1)
[ -f "$here/target/test-classes/dev/haproxysd/testing/FakeAwsMain.class" ] && [ -n "$gson" ] \
  || { echo "bench: test classes missing: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/haproxy-sd-startup.XXXXXX")
fake_pid=
cleanup() {
  exec 9>&- 2>/dev/null || true
  [ -n "$fake_pid" ] && wait "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Fake credentials, no shared AWS files, no instance metadata: nothing leaves the machine. No AWS_* or
# HAPROXY_SD_* variable of the caller changes what is measured.
for name in $(compgen -e); do case $name in AWS_*|HAPROXY_SD_*) unset "$name";; esac; done
export AWS_ACCESS_KEY_ID=AKIDHAPROXYSDBENCH AWS_SECRET_ACCESS_KEY=bench-secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials
[ "${CDS:-}" = none ] && export HAPROXY_SD_CDS_ARCHIVE=/nonexistent

baseline_command "$HAPROXY_SD" "$work"
archive=$(sed -n 's/^-XX:SharedArchiveFile=//p' "$work/baseline/flags")

# TLS=1: the fake endpoint speaks HTTPS, as AWS does: a self-signed RSA 2048 certificate for 127.0.0.1 (keytool),
# trusted through a copy of the JVM's own trust store with it added, so the client still loads every CA.
fake_tls=()
if [ "${TLS:-}" = 1 ]; then
  cacerts=$(readlink -f "$(dirname "$(readlink -f "$(command -v java)")")/../lib/security/cacerts")
  keytool -genkeypair -keystore "$work/server.p12" -storetype PKCS12 -storepass changeit -alias fake -keyalg RSA \
    -keysize 2048 -dname CN=127.0.0.1 -ext SAN=ip:127.0.0.1 -validity 2 > "$work/keytool.log" 2>&1 \
    && keytool -exportcert -keystore "$work/server.p12" -storepass changeit -alias fake -file "$work/server.crt" \
      >> "$work/keytool.log" 2>&1 \
    && keytool -importkeystore -srckeystore "$cacerts" -srcstorepass changeit -destkeystore "$work/trust.jks" \
      -deststoretype JKS -deststorepass changeit -noprompt >> "$work/keytool.log" 2>&1 \
    && keytool -importcert -noprompt -keystore "$work/trust.jks" -storepass changeit -alias fake \
      -file "$work/server.crt" >> "$work/keytool.log" 2>&1 \
    || { echo "bench: keytool failed: $(tail -n 3 "$work/keytool.log")" >&2; exit 1; }
  fake_tls=(-Dfakeaws.tls.keystore="$work/server.p12")
  export HAPROXY_SD_JAVA_OPTS="-Djavax.net.ssl.trustStore=$work/trust.jks -Djavax.net.ssl.trustStorePassword=changeit"
fi

# The fake endpoint: 2 groups of 50 instances for the apply, a Cloud Map namespace of 10,000 instances in 200
# services for the large inventory. It serves until fd 9 (its standard input) is closed.
mkfifo "$work/fake.in"
java -XX:+UseSerialGC "${fake_tls[@]}" -cp "$here/target/test-classes:$gson" dev.haproxysd.testing.FakeAwsMain \
  --groups 2 --instances 100 --services 200 --service-instances 10000 \
  < "$work/fake.in" > "$work/fake.url" 2> "$work/fake.err" &
fake_pid=$!
exec 9> "$work/fake.in"
for _ in $(seq 1 300); do [ -s "$work/fake.url" ] && break; sleep 0.1; done
url=$(head -n1 "$work/fake.url")
[ -n "$url" ] || { echo "bench: the fake endpoint did not start: $(cat "$work/fake.err")" >&2; exit 1; }

# Inputs (not measured): the 10,000-server inventory, and an apply that installs the config and records the state,
# so that every measured apply finds nothing changed: it writes nothing and never starts haproxy.
aws=(--config /dev/null --region us-east-1 --endpoint-url "$url")
"$HAPROXY_SD" discover "${aws[@]}" --cloudmap-namespace bench -o json > "$work/10000.json"
apply=(apply "${aws[@]}" --asg-tag env=bench --config-file "$work/haproxy.cfg" --state-dir "$work/state")
"$HAPROXY_SD" -q "${apply[@]}" 2> "$work/first-apply.err" \
  || { echo "bench: the first apply failed: $(cat "$work/first-apply.err")" >&2; exit 1; }

names=(baseline version render apply render-10000)
labels=("bare JVM hello-world, the launcher's flags (baseline)" "\`--version\`" "\`render\` of the bundled example"
  "no-change \`apply\`, 2 groups / 100 instances" "\`render\` of 10,000 servers from a file")
goals=("" "≤ 2×" "≤ 2×" "≤ 3.5×, ≤ 96 MB" "≤ 0.8 s")
# timed NAME COMMAND...: one run; appends "wall user system maxrss_kb" to $work/runs/NAME. bash's time gives
# milliseconds (the baseline takes about 0.1 s, /usr/bin/time's %e only hundredths), /usr/bin/time the peak RSS.
TIMEFORMAT='%3R %3U %3S'
timed() {
  local name=$1 rc=0 times
  shift
  times=$( { time "$TIME" -f %M -o "$work/rss" "$@" > /dev/null 2> "$work/stderr"; } 2>&1 ) || rc=$?
  [ "$rc" -eq 0 ] || { echo "bench: $name failed (exit $rc): $(head -n 3 "$work/stderr")" >&2; exit 1; }
  echo "$times $(tail -n1 "$work/rss")" >> "$work/runs/$name"
}
measure() {  # measure NAME: one run of workload NAME
  case $1 in
    baseline) timed "$1" "${BASELINE[@]}";;
    version) timed "$1" "$HAPROXY_SD" --version;;
    render) timed "$1" "$HAPROXY_SD" render --config /dev/null --inventory "$example";;
    apply) timed "$1" "$HAPROXY_SD" "${apply[@]}";;
    render-10000) timed "$1" "$HAPROXY_SD" render --config /dev/null --inventory "$work/10000.json";;
  esac
}

mkdir "$work/runs"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 0 "$runs"); do
  for name in "${names[@]}"; do
    measure "$name"
    [ "$round" -eq 0 ] && : > "$work/runs/$name"  # the warm-up round is not counted
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() {  # median COLUMN FILE: the median of a column of "wall user system rss" (0: user + system)
  awk -v c="$1" '{ print c == 0 ? $2 + $3 : $c }' "$2" | sort -g \
    | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
base_wall=$(median 1 "$work/runs/baseline")
base_cpu=$(median 0 "$work/runs/baseline")

echo "haproxy-sd start-up: $("$HAPROXY_SD" --version | head -n1), $HAPROXY_SD"
echo "machine: $(machine_line); load average $load_before before, $load_after after"
echo "JVM flags (launcher and baseline): $(launcher_flags "$work")"
[ "${TLS:-}" = 1 ] && echo "fake AWS endpoint: HTTPS ($url)"
echo "class-data-sharing archive: ${archive:-none}${archive:+ ($(du -m "$archive" | cut -f1) MB)}; median of $runs rounds"
echo
echo "| workload | wall | × baseline | CPU (user+sys) | × baseline | peak RSS | goal |"
echo "|---|---:|---:|---:|---:|---:|---|"
for i in "${!names[@]}"; do
  f=$work/runs/${names[$i]}
  awk -v label="${labels[$i]}" -v goal="${goals[$i]}" -v wall="$(median 1 "$f")" -v cpu="$(median 0 "$f")" \
    -v rss="$(median 4 "$f")" -v bw="$base_wall" -v bc="$base_cpu" 'BEGIN {
      printf "| %s | %.2f s | %.1f× | %.2f s | %.1f× | %.0f MB | %s |\n", label, wall, wall / bw, cpu, cpu / bc,
        rss / 1024, goal }'
done
