#!/usr/bin/env bash
# Event sync benchmark: 1,000,000 events, first run / rerun (all sent before) / cursor runs.
# The service runs in a child JVM with -Xmx256m, the Klaviyo stand-in (rate limits lifted) in the
# test JVM, PostgreSQL embedded. Written to target/event-benchmark.txt. Override the size with
# ROWS=100000 bench/events.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test -Dtest=EventSyncBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rows="${ROWS:-1000000}" -Dbench.argLine="-Dbench.rows=${ROWS:-1000000}"
cat target/event-benchmark.txt
