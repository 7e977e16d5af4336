#!/usr/bin/env bash
# Speed benchmark: ROWS rows (default 1,000,000) in the embedded PostgreSQL, the service as a child
# JVM with -Xmx256m (HEAP=...), the Klaviyo stand-in in the test JVM. Prints wall time, rows/s,
# peak heap and CPU time for the first run at Klaviyo's real limits, the first run with the limits
# lifted, a no-change run, a 1%-changed run and a per-row profile-import baseline. The table is
# also written to target/sync-benchmark.txt. Not part of `mvn test`. JFR=<dir> records each service
# JVM with Java Flight Recorder into that directory (one file per run). PHASES=lifted,unchanged
# measures only those runs (ROWS=10000000 PHASES=lifted,unchanged checks the heap bound at 10M rows).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
HEAP="${HEAP:-256m}"
JFR="${JFR:-}"
# a comma-separated subset of: limits,lifted,unchanged,changed,baseline (empty: all)
PHASES="${PHASES:-}"
# the stand-in (in the test JVM) keeps every profile it was sent: give it room for ROWS profiles
STANDIN_HEAP="${STANDIN_HEAP:-4g}"
mvn -B -o -q test -Dtest=SyncBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.argLine="-Xmx${STANDIN_HEAP} -Dbench.rows=${ROWS} -Dbench.heap=${HEAP} -Dbench.jfr=${JFR} -Dbench.phases=${PHASES}"
cat target/sync-benchmark.txt
