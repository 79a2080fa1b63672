#!/bin/sh
# Benchmark for hitless updates (not a test): 100 apply cycles of random weight / drain / scale-within-slots churn
# against a real haproxy (/usr/sbin/haproxy, master-worker on 127.0.0.1, everything in a temp dir). Prints the reloads
# (target: 0) and the median cycle time of an in-process `apply --runtime-api` (discover a file inventory, render,
# haproxy -c on the candidate, runtime API, show servers state, install; JVM start-up not included).
#
# Usage: packaging/bench/hitless.sh [CYCLES] [SEED]      (run from the repository root; needs Maven's local repo)
set -eu
cd "$(dirname "$0")/../.."
# No AWS_* or HAPROXY_SD_* variable of the caller reaches the in-process runs.
for name in $(env | sed -n 's/^\(\(AWS\|HAPROXY_SD\)_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$name"; done
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.haproxysd.testing.HitlessBench \
  "${1:-100}" "${2:-42}"
