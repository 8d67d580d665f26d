#!/usr/bin/env bash
# Measures a dev node from process start to its first authored and first finalized block, and
# prints the release binary's size. Builds first (a no-op when up to date).
# Usage: scripts/measure-startup.sh [runs]   (default 3 runs; prints each and the median)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-js
source scripts/env.sh
cargo build --release --locked --workspace
runs="${1:-3}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

rpc() {
	curl -sf -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":[${2:-}]}" "http://127.0.0.1:$port"
}
block_number() { # header JSON on stdin → decimal number
	python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))'
}
now_ms() { date +%s%3N; }

printf 'binary: %s (%s MB)\n' "$CONSORTIA_BIN" "$(( $(stat -c %s "$CONSORTIA_BIN") / 1000000 ))"
firsts=(); finals=()
for i in $(seq "$runs"); do
	start=$(now_ms)
	"$CONSORTIA_BIN" --dev --tmp --rpc-port "$port" --no-prometheus --no-telemetry --no-mdns \
		--listen-addr /ip4/127.0.0.1/tcp/0 2>/dev/null &
	pid=$!
	trap 'kill -9 $pid 2>/dev/null || true' EXIT
	first=""; final=""
	deadline=$(( start + 60000 ))
	while [ -z "$final" ] && [ "$(now_ms)" -lt "$deadline" ]; do
		best=$(rpc chain_getHeader 2>/dev/null | block_number 2>/dev/null || echo 0)
		[ -z "$first" ] && [ "$best" -ge 1 ] && first=$(( $(now_ms) - start ))
		head=$(rpc chain_getFinalizedHead 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null || true)
		if [ -n "$head" ]; then
			fin=$(rpc chain_getHeader "\"$head\"" | block_number 2>/dev/null || echo 0)
			[ "$fin" -ge 1 ] && final=$(( $(now_ms) - start ))
		fi
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
	[ -n "$final" ] || { echo "run $i: no finalized block within 60 s" >&2; exit 1; }
	printf 'run %d: first block %d ms, first finalized block %d ms\n' "$i" "$first" "$final"
	firsts+=("$first"); finals+=("$final")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median: first block %d ms, first finalized block %d ms\n' "$(median "${firsts[@]}")" "$(median "${finals[@]}")"
