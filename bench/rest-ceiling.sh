#!/usr/bin/env bash
# REST against the machine's ceiling (issue 22): wrk on GET /pledges/{id}/valuation of the gateway
# (embedded defaults: simulated feed, demo book) and of a bare Vert.x server answering the same
# bytes (RestCeiling), in rounds, each server started fresh, warmed up for 20 s, then measured
# 3 x 10 s at 64 connections. Needs wrk (apt-get install -y wrk).
#   bash bench/rest-ceiling.sh [--rounds N] [--pin] [--variant GP_X=value]...
# --pin puts each server on CPU 1 and wrk on CPU 0: what one core of the server answers, without
#   wrk taking its share of the same cores (the figure to scale by cores).
# --variant adds the gateway started with that setting to each round (side by side with the
#   defaults), e.g. --variant GP_NATIVE_TRANSPORT=false.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2; pin=false; variants=("")
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --pin) pin=true; shift ;;
    --variant) variants+=("$2"); shift 2 ;;
    *) echo "unknown option $1 (use --rounds N, --pin, --variant GP_X=value)" >&2; exit 2 ;;
  esac
done
out=target/bench/rest-ceiling; mkdir -p "$out"
[ -f target/greenpledge-gateway.jar ] || mvn -B -q package -DskipTests
mvn -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
server_cpu=(); wrk_cpu=(); threads=2
if $pin; then server_cpu=(taskset -c 1); wrk_cpu=(taskset -c 0); threads=1; fi

. bench/rest-lib.sh

start_ceiling() {
  "${server_cpu[@]}" java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.greenpledge.bench.RestCeiling --port $port --body "$out/valuation.json" >> "$out/ceiling.log" 2>&1 &
  pid=$!
  up "http://127.0.0.1:$port$path"
}
start_gateway target/greenpledge-gateway.jar   # the data directory, the token and the body the ceiling answers with
token=$(GP_DATA_DIR="$data" java -jar target/greenpledge-gateway.jar token --bank DEMO-A --roles viewer)
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" > "$out/valuation.json"
stop
echo "== pinned: $pin; 64 connections; body $(wc -c < "$out/valuation.json") bytes"
for r in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    name=gateway${v:+-$v}
    start_gateway target/greenpledge-gateway.jar "$v"
    measure "warm-$name-r$r" 20 > /dev/null   # JIT warm-up, not reported
    for i in 1 2 3; do measure "$name-r$r-$i" 10; done
    stop
  done
  start_ceiling
  measure "warm-ceiling-r$r" 10 > /dev/null
  for i in 1 2 3; do measure "ceiling-r$r-$i" 10; done
  stop
done
