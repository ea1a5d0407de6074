#!/usr/bin/env bash
# The benchmark suite: every design target measured on this machine, one after the other, in about
# 13 minutes. Not part of `mvn verify`. Needs wrk (apt-get install -y wrk).
#   bash bench/run-all.sh [--quick]
# Push runs warm up for 15 s (the JIT of a freshly started gateway), then measure 20 s, as issue
# 22's runs do: the last frames after the feed stops (whose age grows with a desk's window) weigh
# less in a longer run, so the length is fixed here.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=20; warmup=15; clients="100 1000 5000"
if [ "${1:-}" = "--quick" ]; then seconds=5; warmup=10; clients="100 1000"; fi
out=target/bench; mkdir -p "$out"

mvn -B -q package -DskipTests
mvn -B -q -Pbench test-compile
run() { mvn -B -q -Pbench exec:exec -Dbench.main="$1" -Dbench="$2" 2>&1 | grep -vE '^\S+ \[|^\[INFO\]|^\s+at ' ; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "== revaluation (JMH)"
run org.openjdk.jmh.Main 'RevaluationBenchmark.revalue$' | tee "$out/jmh.txt" | grep -E '^(Benchmark|Revaluation)'
for n in $clients; do
  echo "== push: $n clients x 2000 ticks/s, ${seconds}s after ${warmup}s warm-up, against a bare broadcaster"
  run io.greenpledge.bench.PushLoad "--clients $n --rate 2000 --seconds $seconds --warmup $warmup" \
    | tee "$out/push-$n.txt" | grep -E 'bare|gateway|ratio|tick updates|later than'
done
if [ "${1:-}" != "--quick" ]; then
  echo "== push: 10000 clients x 2000 ticks/s, ${seconds}s after ${warmup}s warm-up (no broadcaster: file limit)"
  run io.greenpledge.bench.PushLoad "--clients 10000 --rate 2000 --seconds $seconds --warmup $warmup --bare false" \
    | tee "$out/push-10000.txt" | grep -E 'gateway|later than'
fi
echo "== database writes: plain, audited, a margin call opened and cured (embedded PostgreSQL)"
run io.greenpledge.bench.WriteCost "--writers 8 --seconds 10 --rounds 2" | tee "$out/writes.txt" | grep -E 'round'
echo "== time to ready, ingest, idle sockets"
run io.greenpledge.bench.GatewayLoad "--sockets 8000" | tee "$out/gateway.txt" | grep -E 'ready|ingest|idle'
echo "== ingest again after a 15 s warm-up (the line above is measured from a cold start)"
run io.greenpledge.bench.GatewayLoad "--sockets 10 --warmup 15" | tee "$out/ingest-warm.txt" | grep -E '^ingest'

echo "== REST GET /pledges/{id}/valuation (wrk, 3 x 10 s at 64 and at 16 connections)"
(
  . bench/rest-lib.sh
  start_gateway target/greenpledge-gateway.jar
  token=$(GP_DATA_DIR="$data" java -jar target/greenpledge-gateway.jar token --bank DEMO-A --roles viewer)
  measure warm-up 5 > /dev/null   # JIT warm-up, not reported
  for c in 64 16; do
    for i in 1 2 3; do measure "wrk-c$c-$i" 10 "$c"; done
  done
)
echo "== REST beside a bare Vert.x server answering the same bytes (one round, 3 x 10 s each)"
bash bench/rest-ceiling.sh --rounds 1 | grep -E '^(gateway|ceiling)'
echo "== raw outputs in $out"
