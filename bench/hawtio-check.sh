#!/usr/bin/env bash
# On-demand check, not part of `mvn test`: a real Hawtio 4 console (io.hawt:hawtio-default 4.2.0 on
# Jetty 12.1.12) in headless Chromium against the service, as an operator uses it. The script
# downloads Hawtio and Jetty from Maven Central (cached in target/hawtio-check), starts the service
# (embedded demo warehouse, dry run: KLAVIYO_API_KEY is ignored) and Hawtio, then
# bench/hawtio/hawtio-check.mjs connects, lists the routes, opens the route diagram of
# customers-by-external-id (its boxes must read the step ids), runs the sync from its MBean's Operations tab (runNow, pause, resume,
# startRun), asserts the run happened and that Jolokia refused nothing, and saves
# docs/img/hawtio-route-diagram.png and docs/img/hawtio-sync-operations.png.
#
# Needs Java 17, Maven, Node.js 18+ and Chromium (`apt-get install -y chromium`; or CHROMIUM=path).
# RECORD=file (absolute path) also writes the requests Hawtio posted
# (src/test/resources/hawtio/jolokia-requests.json was recorded this way). WITH_CREDENTIALS=1 starts
# the service with MANAGEMENT_USER/MANAGEMENT_PASSWORD (a random password) and logs in through
# Hawtio's connection login. SHOTS_DIR (docs/img). Ports: HAWTIO_PORT (8090), SERVICE_PORT (9876).
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/hawtio-check
hawtio_port=${HAWTIO_PORT:-8090}
service_port=${SERVICE_PORT:-9876}
chromium=${CHROMIUM:-/usr/bin/chromium}
mkdir -p "$work"

[ -x "$chromium" ] || { echo "no Chromium at $chromium: apt-get install -y chromium, or set CHROMIUM" >&2; exit 2; }
if [ ! -d bench/hawtio/node_modules/puppeteer-core ]; then
  (cd bench/hawtio && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund)
fi

# Hawtio 4 and Jetty 12 from Maven Central
if [ ! -f "$work/hawtio-default.war" ]; then
  mvn -B -q dependency:copy -Dartifact=io.hawt:hawtio-default:4.2.0:war -Dmdep.stripVersion=true \
    -DoutputDirectory="$work"
fi
if [ ! -d "$work/jetty-home" ]; then
  mvn -B -q dependency:copy -Dartifact=org.eclipse.jetty:jetty-home:12.1.12:tar.gz -Dmdep.stripVersion=true \
    -DoutputDirectory="$work"
  mkdir -p "$work/jetty-home" && tar xzf "$work/jetty-home.tar.gz" -C "$work/jetty-home" --strip-components=1
fi
if [ ! -d "$work/jetty-base/webapps" ]; then
  mkdir -p "$work/jetty-base/webapps"
  (cd "$work/jetty-base" && java -jar ../jetty-home/start.jar \
    --add-modules=server,http,ee10-deploy,ee10-webapp,ee10-annotations >/dev/null 2>&1)
fi
cp "$work/hawtio-default.war" "$work/jetty-base/webapps/hawtio.war"

# the service, from the compiled classes (no fat jar needed)
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
credentials=()
if [ "${WITH_CREDENTIALS:-0}" = 1 ]; then
  credentials=(MANAGEMENT_USER=hawtio-check "MANAGEMENT_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')")
fi
env -u KLAVIYO_API_KEY -u WAREHOUSE_JDBC_URL -u STATE_JDBC_URL -u MANAGEMENT_USER -u MANAGEMENT_PASSWORD \
  "${credentials[@]}" MANAGEMENT_PORT="$service_port" EMBEDDED_DATA_DIR="$work/embedded-postgres" DRY_RUN_DIR="$work/dry-run" \
  java -cp "target/classes:$(cat "$work/classpath.txt")" org.klaviyosync.KlaviyoSync > "$work/service.log" 2>&1 &
pids+=($!)
(cd "$work/jetty-base" && exec java -Dhawtio.authenticationEnabled=false -Djetty.http.port="$hawtio_port" \
  -jar ../jetty-home/start.jar) > "$work/hawtio.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  if grep -q "klaviyo-sync started" "$work/service.log" \
     && curl -fs -o /dev/null "http://localhost:$hawtio_port/hawtio/"; then
    break
  fi
  sleep 1
done
grep -q "klaviyo-sync started" "$work/service.log" || { echo "the service did not start: $work/service.log" >&2; exit 1; }
curl -fs -o /dev/null "http://localhost:$hawtio_port/hawtio/" || { echo "Hawtio did not start: $work/hawtio.log" >&2; exit 1; }

shots=$(realpath -m "${SHOTS_DIR:-docs/img}")
cd bench/hawtio
env -u MANAGEMENT_USER -u MANAGEMENT_PASSWORD "${credentials[@]}" HAWTIO_URL="http://localhost:$hawtio_port/hawtio" \
  SERVICE_PORT="$service_port" CHROMIUM="$chromium" SHOTS_DIR="$shots" ${RECORD:+RECORD="$RECORD"} \
  node hawtio-check.mjs
