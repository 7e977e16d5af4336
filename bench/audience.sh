#!/usr/bin/env bash
# Audience removal benchmark: a 1,000,000-row listMode=mirror sync, its first run and a no-change run
# (stand-in limits lifted), then 10% of the rows leave and a run removes them at Klaviyo's real
# limits. The service runs in a child JVM with -Xmx256m, the Klaviyo stand-in in the test JVM,
# PostgreSQL embedded. Written to target/audience-benchmark.txt. Override the size with
# ROWS=100000 bench/audience.sh, the service heap with HEAP=1g.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test -Dtest=AudienceRemovalBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rows="${ROWS:-1000000}" -Dbench.argLine="-Dbench.rows=${ROWS:-1000000} -Dbench.heap=${HEAP:-256m}"
cat target/audience-benchmark.txt
