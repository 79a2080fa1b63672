#!/bin/bash
# Benchmark: haproxy-sd through its real launcher against a fake AWS endpoint (a separate JVM on a free loopback
# port, see src/test/java/dev/haproxysd/testing/FakeAwsMain.java), for 100, 1,000 and 10,000 servers
# (50 servers a service: 2, 20, 200 Auto Scaling groups or Cloud Map services).
#
#   mvn -q -B package -DskipTests && packaging/bench/run.sh
#
# Prints one Markdown table row per scenario and size: the median of REPEAT runs (after one unmeasured warm-up run)
# of wall time, CPU time (user + system) and peak RSS (from /usr/bin/time), each time also as a multiple of a bare
# JVM hello-world with the launcher's flags, run just before each measured run (packaging/bench/baseline.sh), and
# the AWS API calls haproxy-sd counted itself (its -v line "aws: N API calls").
#
# Scenarios: discover-asg, discover-cloudmap (AWS, -o json), render-asg, diff-asg-same (AWS, installed config
# unchanged), render-file, diff-file-same, diff-file-all (--inventory FILE; -all: every server line differs),
# apply-asg-same (AWS, nothing changed since the last apply: the cron run's common case).
#
# Environment: REPEAT (default 5), SIZES (default "100 1000 10000"), SCENARIOS (default: all; see below),
# HAPROXY_SD (default target/haproxy-sd; /usr/bin/haproxy-sd for an installed package), CDS: by default the
# class-data-sharing archive the launcher finds itself (the build tree's from `mvn package`, the package's from
# postinst), CDS=none none at all, CDS=1 one trained first as postinst does (packaging/deb/cds-train); KEEP=1 keeps
# the work dir.
# Every run gets --config /dev/null: a haproxy-sd.conf on the machine must not change what is measured.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/packaging/bench/baseline.sh"
REPEAT=${REPEAT:-5}
SIZES=${SIZES:-"100 1000 10000"}
SCENARIOS=${SCENARIOS:-"discover-asg discover-cloudmap render-asg diff-asg-same render-file diff-file-same diff-file-all apply-asg-same"}
HAPROXY_SD=${HAPROXY_SD:-$here/target/haproxy-sd}
TIME=/usr/bin/time

[ -x "$HAPROXY_SD" ] || { echo "bench: $HAPROXY_SD not found: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: $TIME not found: apt-get install time" >&2; exit 2; }
gson=$(ls "$here"/target/lib/*gson-*.jar 2>/dev/null | head -n1)
[ -f "$here/target/test-classes/dev/haproxysd/testing/FakeAwsMain.class" ] && [ -n "$gson" ] \
  || { echo "bench: test classes missing: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/haproxy-sd-bench.XXXXXX")
fake_pid=
cleanup() {
  exec 9>&- 2>/dev/null || true
  [ -n "$fake_pid" ] && wait "$fake_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "bench: work dir kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# Signs requests with fake keys; never reads this machine's AWS config nor instance metadata. No AWS_* or
# HAPROXY_SD_* variable of the caller (AWS_MAX_ATTEMPTS, HAPROXY_SD_JAVA_OPTS, ...) changes what is measured.
for name in $(compgen -e); do case $name in AWS_*|HAPROXY_SD_*) unset "$name";; esac; done
export AWS_ACCESS_KEY_ID=AKIDHAPROXYSDBENCH AWS_SECRET_ACCESS_KEY=bench-secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials

if [ "${CDS:-}" = none ]; then
  export HAPROXY_SD_CDS_ARCHIVE=/nonexistent
  archive="no CDS archive"
elif [ "${CDS:-}" = 1 ]; then
  "$here/packaging/deb/cds-train" "$HAPROXY_SD" "$work/haproxy-sd.jsa" "$here/packaging/examples/inventory.json" \
    || { echo "bench: could not train the CDS archive" >&2; exit 1; }
  export HAPROXY_SD_CDS_ARCHIVE=$work/haproxy-sd.jsa
  archive="with the CDS archive cds-train builds"
else
  archive="with the launcher's own CDS archive"
fi

baseline_command "$HAPROXY_SD" "$work"
used=$(sed -n 's/^-XX:SharedArchiveFile=//p' "$work/baseline/flags")
[ "${CDS:-}" = none ] || archive="$archive (${used:-none found})"

# Starts the fake endpoint for $1 servers; it serves until fd 9 (its standard input) is closed.
start_fake() {
  local servers=$1 services=$(( ($1 + 49) / 50 ))
  mkfifo "$work/fake.in"
  java -XX:+UseSerialGC -cp "$here/target/test-classes:$gson" dev.haproxysd.testing.FakeAwsMain \
    --groups "$services" --instances "$servers" --services "$services" --service-instances "$servers" \
    < "$work/fake.in" > "$work/fake.url" 2> "$work/fake.err" &
  fake_pid=$!
  exec 9> "$work/fake.in"
  rm -f "$work/fake.in"
  for _ in $(seq 1 300); do [ -s "$work/fake.url" ] && break; sleep 0.1; done
  url=$(head -n1 "$work/fake.url")
  [ -n "$url" ] || { echo "bench: the fake endpoint did not start: $(cat "$work/fake.err")" >&2; exit 1; }
}

stop_fake() {
  exec 9>&-
  wait "$fake_pid" || true
  fake_pid=
}

# run NAME SIZE ARGS...: warm-up, then REPEAT measured runs of haproxy-sd ARGS; prints one table row.
run() {
  local name=$1 size=$2; shift 2
  local runs="$work/runs" calls="-" rc
  : > "$runs"
  : > "$work/baseline-runs"
  for i in $(seq 0 "$REPEAT"); do
    rc=0
    "$TIME" -f "%e %U %S %M" -o "$work/time" "${BASELINE[@]}" > /dev/null
    [ "$i" -eq 0 ] || tail -n1 "$work/time" >> "$work/baseline-runs"
    "$TIME" -f "%e %U %S %M" -o "$work/time" "$HAPROXY_SD" -v "$1" --config /dev/null "${@:2}" \
      > "$work/stdout" 2> "$work/stderr" || rc=$?
    if [ "$rc" -gt 1 ]; then  # diff exits 1 when the configs differ
      echo "bench: $name $size failed (exit $rc): $(grep -v 'debug:' "$work/stderr" | head -n 3)" >&2
      exit 1
    fi
    [ "$i" -eq 0 ] && continue
    tail -n1 "$work/time" >> "$runs"
  done
  calls=$(sed -n 's/.*aws: \([0-9]*\) API calls\{0,1\}.*/\1/p' "$work/stderr" | tail -n1)
  awk -v name="$name" -v size="$size" -v calls="${calls:--}" '
    FNR == 1 { file++ }
    file == 1 { base[FNR] = $1; nbase = FNR; next }
    { wall[FNR] = $1; cpu[FNR] = $2 + $3; rss[FNR] = $4 / 1024; n = FNR }
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { w = median(wall, n); b = median(base, nbase)
          printf "| %-18s | %7d | %6.2f s | %6.1f× | %6.2f s | %5.0f MB | %9s |\n", name, size, w, w / b,
            median(cpu, n), median(rss, n), calls }' "$work/baseline-runs" "$runs"
}

wants() { case " $SCENARIOS " in *" $1 "*) return 0;; *) return 1;; esac; }

echo "haproxy-sd benchmark: $("$HAPROXY_SD" --version 2>/dev/null | head -n1); $archive; median of $REPEAT runs"
echo "machine: $(machine_line); load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "× baseline: wall time over that of a bare JVM hello-world with the launcher's flags, run before each run"
echo
echo "| scenario           | servers |     wall | × baseline |      CPU | peak RSS | API calls |"
echo "|--------------------|--------:|---------:|-----------:|---------:|---------:|----------:|"
for size in $SIZES; do
  start_fake "$size"
  aws=(--region us-east-1 --endpoint-url "$url")
  asg=(--asg-tag env=bench "${aws[@]}")
  # Inputs made by haproxy-sd itself (not measured): the inventory file, the installed config, and a config in
  # which every server line differs (another port).
  "$HAPROXY_SD" discover --config /dev/null "${asg[@]}" -o json > "$work/inventory.json"
  "$HAPROXY_SD" render --config /dev/null --inventory "$work/inventory.json" > "$work/haproxy.cfg"
  "$HAPROXY_SD" render --config /dev/null "${asg[@]}" --port 8081 > "$work/other-port.cfg"

  wants discover-asg && run discover-asg "$size" discover "${asg[@]}" -o json
  wants discover-cloudmap && run discover-cloudmap "$size" discover --cloudmap-namespace bench "${aws[@]}" -o json
  wants render-asg && run render-asg "$size" render "${asg[@]}"
  wants diff-asg-same && run diff-asg-same "$size" diff "${asg[@]}" --config-file "$work/haproxy.cfg"
  wants render-file && run render-file "$size" render --inventory "$work/inventory.json"
  wants diff-file-same && run diff-file-same "$size" diff --inventory "$work/inventory.json" \
    --config-file "$work/haproxy.cfg"
  wants diff-file-all && run diff-file-all "$size" diff --inventory "$work/inventory.json" \
    --config-file "$work/other-port.cfg"
  if wants apply-asg-same; then
    # apply without --reload: the first (unmeasured) run installs the config and records the state; the measured
    # runs find nothing changed, so they write nothing and never start haproxy.
    rm -rf "$work/state" && mkdir "$work/state" && cp "$work/haproxy.cfg" "$work/installed.cfg"
    apply=(apply "${asg[@]}" --config-file "$work/installed.cfg" --state-dir "$work/state")
    "$HAPROXY_SD" -q apply --config /dev/null "${apply[@]:1}" 2> "$work/first-apply.err" \
      || { echo "bench: the first apply failed: $(cat "$work/first-apply.err")" >&2; exit 1; }
    run apply-asg-same "$size" "${apply[@]}"
  fi
  stop_fake
done
