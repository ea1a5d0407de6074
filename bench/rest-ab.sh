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
A=$(realpath "$1"); B=$(realpath "$2")
cd "$(dirname "$0")/.."
out=target/bench/rest-ab; mkdir -p "$out"
. bench/rest-lib.sh
start_gateway "$A"; token=$(GP_DATA_DIR="$data" java -jar "$A" token --bank DEMO-A --roles viewer); stop
echo "== A $A, B $B; 64 connections"
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then order="A B"; else order="B A"; fi
  for w in $order; do
    jar=$A; [ "$w" = B ] && jar=$B
    start_gateway "$jar"
    measure "warm-$w-r$r" 20 > /dev/null   # JIT warm-up, not reported
    for i in 1 2 3; do measure "$w-r$r-$i" 10; done
    stop
  done
done
