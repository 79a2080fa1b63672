#!/usr/bin/env bash
# Start-up benchmark of the launcher: --version, render of the example inventory, a no-change apply and AWS
# client start, each as
#   plain java  - java -cp with no tuning flags (the baseline)
#   launcher    - the launcher's short-lived-CLI flags, no class-data-sharing archive
#   launcher+CDS - the same with the application CDS archive, built exactly as postinst builds it
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop with medians.
# Usage: packaging/bench/startup.sh [RUNS]   (after `mvn -B package`; numbers go to the README, never to a test)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
launcher=target/haproxy-sd
[ -x "$launcher" ] && [ -f target/haproxy-sd.jar ] || { echo "build first: mvn -B package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
archive=$work/haproxy-sd.jsa
inventory=packaging/examples/inventory.json

# The archive, as postinst makes it.
packaging/deb/cds-train "$launcher" "$archive" "$inventory" || { echo "could not create the CDS archive" >&2; exit 1; }

# The AWS workload builds the SDK clients and fails against a closed port (exit 10, after the SDK's retries with
# backoff: compare its CPU time, not its wall time). Fake credentials: nothing leaves the machine.
# No AWS_* or HAPROXY_SD_* variable of the caller (AWS_PROFILE, AWS_MAX_ATTEMPTS, HAPROXY_SD_JAVA_OPTS, ...) and no
# ~/.aws file changes what is measured.
for name in $(compgen -e); do case $name in AWS_*|HAPROXY_SD_*) unset "$name";; esac; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials
# A no-change apply: one run first installs the config into a temp dir, every measured run then finds it unchanged.
apply="apply --config /dev/null --inventory $inventory --config-file $work/haproxy.cfg --state-dir $work/state"
"$launcher" $apply -q || { echo "the first apply failed" >&2; exit 1; }
workloads=("--version" "render --config /dev/null --inventory $inventory" "$apply"
  "discover --config /dev/null --asg bench --region us-east-1 --endpoint-url http://127.0.0.1:9 --aws-timeout 5s")

commands=()
for args in "${workloads[@]}"; do
  commands+=("java -cp target/haproxy-sd.jar:target/lib/* dev.haproxysd.cli.Main $args")
  commands+=("env HAPROXY_SD_CDS_ARCHIVE=/nonexistent $launcher $args")
  commands+=("env HAPROXY_SD_CDS_ARCHIVE=$archive $launcher $args")
done

java -version 2>&1 | head -1
echo "$(nproc) CPUs, $(uname -r); archive $(du -h "$archive" | cut -f1)"
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$work/results.json" "${commands[@]}" >/dev/null
  # Medians: the machine is shared, so means carry other people's load.
  python3 - "$work/results.json" <<'PY'
import json, sys
print("| command | median ms | min ms | mean CPU ms (user+sys) | runs |")
print("|---|---|---|---|---|")
for r in json.load(open(sys.argv[1]))["results"]:
    cpu = (r["user"] + r["system"]) * 1000
    print(f"| `{r['command']}` | {r['median'] * 1000:.0f} | {r['min'] * 1000:.0f} | {cpu:.0f} | {len(r['times'])} |")
PY
else
  echo "| command | median ms | min ms | runs |"
  echo "|---|---|---|---|"
  for c in "${commands[@]}"; do
    for _ in 1 2 3; do $c >/dev/null 2>&1; done
    times=()
    for _ in $(seq "$runs"); do
      start=$(date +%s%N); $c >/dev/null 2>&1; end=$(date +%s%N)
      times+=($(( (end - start) / 1000000 )))
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    echo "| \`$c\` | ${sorted[$(( ${#sorted[@]} / 2 ))]} | ${sorted[0]} | $runs |"
  done
fi
