# Shared by bench/rest-ceiling.sh, bench/rest-ab.sh and bench/run-all.sh (sourced, not run): a
# gateway started on its embedded defaults in a scratch data directory, stopped at exit, and wrk on
# the latest valuation (64 connections unless told). The caller sets out (the results' directory) and may set
# server_cpu / wrk_cpu (taskset prefixes) and threads (wrk's, 2 by default); token is set by it
# before measuring.
data=$(mktemp -d); port=18480; path=/api/v1/pledges/PLG-DEMO-A-0001/valuation; pid=
server_cpu=("${server_cpu[@]}"); wrk_cpu=("${wrk_cpu[@]}"); threads=${threads:-2}
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$data"' EXIT
up() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; exit 1; }

start_gateway() { # JAR [GP_X=value]
  env GP_DATA_DIR="$data" GP_HTTP_PORT=$port GP_RATE_LIMIT=0 GP_CONNECTIONS_PER_ADDRESS=100000 ${2:-} \
    "${server_cpu[@]}" java -jar "$1" >> "$out/gateway.log" 2>&1 &
  pid=$!
  up "http://127.0.0.1:$port/health/ready"
}
measure() { # name seconds [connections] -> one line
  "${wrk_cpu[@]}" wrk -t"$threads" -c"${3:-64}" -d"$2"s --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port$path" > "$out/$1.txt"
  echo "$1: $(grep -E 'Requests/sec|  50%|  99%|Non-2xx' "$out/$1.txt" | tr -s ' \n' ' ')"
}
