#!/usr/bin/env bash
# Two builds of the gateway side by side on REST (issue 22): GET /pledges/{id}/valuation with wrk
# at 64 connections, the jars alternating (A B, then B A, ...), each round a fresh start on the
# embedded defaults, 20 s of warm-up, then 3 x 10 s measured. Needs wrk (apt-get install -y wrk).
#   bash bench/rest-ab.sh [--rounds N] A.jar B.jar
# Copy each jar out of target/ first (cp target/greenpledge-gateway.jar /tmp/a.jar): building
# while it runs would change what is measured.
set -euo pipefail
rounds=3
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
if [ $# -ne 2 ]; then echo "usage: bench/rest-ab.sh [--rounds N] A.jar B.jar" >&2; exit 2; fi
A=$1; B=$2
out=target/bench/rest-ab; mkdir -p "$out"
data=$(mktemp -d); port=18480; path=/api/v1/pledges/PLG-DEMO-A-0001/valuation; pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$data"' EXIT
up() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; exit 1; }
start() {
  env GP_DATA_DIR="$data" GP_HTTP_PORT=$port GP_RATE_LIMIT=0 GP_CONNECTIONS_PER_ADDRESS=100000 \
    java -jar "$1" >> "$out/gateway.log" 2>&1 &
  pid=$!
  up "http://127.0.0.1:$port/health/ready"
}
measure() { # name seconds -> one line
  wrk -t2 -c64 -d"$2"s --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port$path" > "$out/$1.txt"
  echo "$1: $(grep -E 'Requests/sec|  50%|  99%|Non-2xx' "$out/$1.txt" | tr -s ' \n' ' ')"
}
start "$A"; token=$(GP_DATA_DIR="$data" java -jar "$A" token --bank DEMO-A --roles viewer); stop
echo "== A $A, B $B; 64 connections"
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then order="A B"; else order="B A"; fi
  for w in $order; do
    jar=$A; [ "$w" = B ] && jar=$B
    start "$jar"
    measure "warm-$w-r$r" 20 > /dev/null   # JIT warm-up, not reported
    for i in 1 2 3; do measure "$w-r$r-$i" 10; done
    stop
  done
done
