#!/bin/bash
# Benchmark: what one `apply --watch` cycle costs next to a one-shot `apply`, both finding nothing changed, with the
# same AWS calls (one DescribeAutoScalingGroups, one DescribeInstances) against the fake endpoint
# (src/test/java/dev/haproxysd/testing/FakeAwsMain.java) on the same machine:
#
#   mvn -q -B package -DskipTests && packaging/bench/watch.sh
#
# One-shot: the median CPU (user + system, /usr/bin/time) of REPEAT no-change runs of the real launcher.
# Watch: the launcher's JVM flags and class path running src/test/java/dev/haproxysd/cli/WatchBench.java, which
# runs `apply --watch 1s` for CYCLES cycles back to back on a fake clock (each cycle the real apply, only the wait
# between cycles skipped) and reports the process's CPU per cycle after cycle 100, and its RSS and open file
# descriptors at cycle 100 and at the last.
#
# Environment: REPEAT (default 5), CYCLES (default 1000), SERVERS (default 100), HAPROXY_SD (default
# target/haproxy-sd). Every run gets --config /dev/null.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/packaging/bench/baseline.sh"
REPEAT=${REPEAT:-5}
CYCLES=${CYCLES:-1000}
SERVERS=${SERVERS:-100}
HAPROXY_SD=${HAPROXY_SD:-$here/target/haproxy-sd}
TIME=/usr/bin/time

[ -x "$HAPROXY_SD" ] || { echo "bench: $HAPROXY_SD not found: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: $TIME not found: apt-get install time" >&2; exit 2; }
gson=$(ls "$here"/target/lib/*gson-*.jar 2>/dev/null | head -n1)
[ -f "$here/target/test-classes/dev/haproxysd/cli/WatchBench.class" ] && [ -n "$gson" ] \
  || { echo "bench: test classes missing: run 'mvn -q -B package -DskipTests' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/haproxy-sd-watch-bench.XXXXXX")
fake_pid=
cleanup() {
  exec 9>&- 2>/dev/null || true
  [ -n "$fake_pid" ] && wait "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for name in $(compgen -e); do case $name in AWS_*|HAPROXY_SD_*) unset "$name";; esac; done
export AWS_ACCESS_KEY_ID=AKIDHAPROXYSDBENCH AWS_SECRET_ACCESS_KEY=bench-secret AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials

services=$(( (SERVERS + 49) / 50 ))
mkfifo "$work/fake.in"
java -XX:+UseSerialGC -cp "$here/target/test-classes:$gson" dev.haproxysd.testing.FakeAwsMain \
  --groups "$services" --instances "$SERVERS" --services "$services" --service-instances "$SERVERS" \
  < "$work/fake.in" > "$work/fake.url" 2> "$work/fake.err" &
fake_pid=$!
exec 9> "$work/fake.in"
rm -f "$work/fake.in"
for _ in $(seq 1 300); do [ -s "$work/fake.url" ] && break; sleep 0.1; done
url=$(head -n1 "$work/fake.url")
[ -n "$url" ] || { echo "bench: the fake endpoint did not start: $(cat "$work/fake.err")" >&2; exit 1; }

args=(apply -q --config /dev/null --asg-tag env=bench --region us-east-1 --endpoint-url "$url"
  --config-file "$work/haproxy.cfg" --state-dir "$work/state" --haproxy-bin true)
"$HAPROXY_SD" "${args[@]}"  # the first apply installs; every run after it finds nothing changed

: > "$work/oneshot"
for _ in $(seq 1 "$REPEAT"); do
  "$TIME" -f "%U %S %M" -o "$work/time" "$HAPROXY_SD" "${args[@]}"
  tail -n1 "$work/time" >> "$work/oneshot"
done
oneshot=$(awk '{ cpu[NR] = ($1 + $2) * 1000 } END {
  for (i = 2; i <= NR; i++) for (j = i; j > 1 && cpu[j-1] > cpu[j]; j--) { t = cpu[j]; cpu[j] = cpu[j-1]; cpu[j-1] = t }
  printf "%.0f", NR % 2 ? cpu[(NR + 1) / 2] : (cpu[NR / 2] + cpu[NR / 2 + 1]) / 2 }' "$work/oneshot")

baseline_command "$HAPROXY_SD" "$work"
flags=()
while IFS= read -r arg; do [ "$arg" = -cp ] && break; flags+=("$arg"); done < "$work/baseline/flags"
jar=$(dirname "$HAPROXY_SD")/haproxy-sd.jar
lib=$(dirname "$HAPROXY_SD")/lib
"${JAVA_HOME:+$JAVA_HOME/bin/}java" "${flags[@]}" -cp "$jar:$lib/*:$here/target/test-classes" \
  dev.haproxysd.cli.WatchBench "$CYCLES" "${args[@]}" --watch 1s > "$work/watch"
value() { sed -n "s/^$1 //p" "$work/watch"; }

echo "haproxy-sd watch benchmark: $("$HAPROXY_SD" --version 2>/dev/null | head -n1); $SERVERS servers"
echo "machine: $(machine_line); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| no-change apply | CPU |"
echo "|---|---:|"
echo "| one-shot (median of $REPEAT) | ${oneshot} ms |"
echo "| --watch cycle (cycles 101-$CYCLES) | $(value cpu_ms_per_cycle) ms |"
echo
echo "| --watch process | cycle 100 | cycle $CYCLES |"
echo "|---|---:|---:|"
echo "| RSS | $(( $(value rss_kb_at_100) / 1024 )) MB | $(( $(value "rss_kb_at_$CYCLES") / 1024 )) MB |"
echo "| open file descriptors | $(value fds_at_100) | $(value "fds_at_$CYCLES") |"
