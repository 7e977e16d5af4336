#!/usr/bin/env bash
# Incremental-run benchmark: 1,000,000 rows, first run / no-change run / 1% changed run.
# The service runs in a child JVM with -Xmx256m, the Klaviyo stand-in (rate limits lifted) in the
# test JVM, PostgreSQL embedded. Prints wall time, rows/s and peak heap; also written to
# target/incremental-benchmark.txt. Override the size with ROWS=100000 bench/incremental.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test -Dtest=IncrementalBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rows="${ROWS:-1000000}" -Dbench.argLine="-Dbench.rows=${ROWS:-1000000}"
cat target/incremental-benchmark.txt
