#!/usr/bin/env bash
# Event sync benchmark: 1,000,000 events. Phase "real": a first run at Klaviyo's real limits (the
# stand-in enforcing 10/s and 150/min); phase "lifted": first run / rerun (all sent before) / cursor
# runs with the limits lifted. The service runs in a child JVM with -Xmx256m, the Klaviyo stand-in in
# the test JVM, PostgreSQL embedded. Written to target/event-benchmark.txt, with the load average.
# Override the size with ROWS=100000, the phases with PHASES=real (or lifted) bench/events.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test -Dtest=EventSyncBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rows="${ROWS:-1000000}" -Dbench.phases="${PHASES:-real,lifted}" \
  -Dbench.argLine="-Dbench.rows=${ROWS:-1000000} -Dbench.phases=${PHASES:-real,lifted}"
cat target/event-benchmark.txt
