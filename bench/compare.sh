#!/usr/bin/env bash
# Issue 15's benchmark: klaviyo-sync against a peer (bench/peer: a script on Klaviyo's official Node SDK,
# bulk jobs of 10,000, 4 in flight, polled every 300 ms) on the same rows of the embedded PostgreSQL and
# the same Klaviyo stand-in, run as a process of its own. Prints one table (also in
# target/peer-comparison.txt): each regime with klaviyo-sync's figure, the peer's, the ratio and the goal.
#   REGIMES          comma-separated subset of a,b,c,d,e (empty: all)
#                    a: first run, jobs complete 0.3 s after acceptance   b: the same, jobs take 5 s
#                    c: sustained ceiling, real limits, jobs take 60 s     d: no-change run vs psql \copy
#                    e: launch to first row read (measured in a's runs)
#   ROWS             rows of a, b and e (default 200000)
#   CEILING_ROWS     rows of c (default 3000000)
#   NO_CHANGE_ROWS   sizes of d (default 1000000,10000000; ten million takes a while, its first run above
#                    all: NO_CHANGE_ROWS=1000000 leaves it out). d's stand-in gets 1.5 GB a million at least
#   HEAP             the service's -Xmx (default 256m); STANDIN_HEAP the stand-in's (default 4g; it keeps
#                    every profile: give it about 1.4 GB per million)
#   JFR=<dir>        a flight recording of every service JVM
# Not part of `mvn test`. Needs node and npm (installs bench/peer/node_modules from its lockfile) and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d bench/peer/node_modules ]; then
  (cd bench/peer && npm ci --no-audit --no-fund)
fi
ROWS="${ROWS:-200000}"
CEILING_ROWS="${CEILING_ROWS:-3000000}"
NO_CHANGE_ROWS="${NO_CHANGE_ROWS:-1000000,10000000}"
REGIMES="${REGIMES:-}"
HEAP="${HEAP:-256m}"
STANDIN_HEAP="${STANDIN_HEAP:-4g}"
JFR="${JFR:-}"
mvn -B -o -q test -Dtest=PeerComparisonBenchmark -DexcludedTestGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.argLine="-Dbench.rows=${ROWS} -Dbench.ceiling-rows=${CEILING_ROWS} -Dbench.no-change-rows=${NO_CHANGE_ROWS} -Dbench.regimes=${REGIMES} -Dbench.heap=${HEAP} -Dbench.standin-heap=${STANDIN_HEAP} -Dbench.jfr=${JFR}"
cat target/peer-comparison.txt
