#!/usr/bin/env bash
# The standard throughput run: builds, starts a fresh dev node on a temporary database, submits
# 100,000 pre-signed transfers with consortia-bench, stops the node, and leaves bench.json,
# bench.svg and the node's log in one folder.
#
#   scripts/bench.sh [OUT_DIR] [consortia-bench options...]
#
# OUT_DIR defaults to bench-results/<date-time>. Options after it go to consortia-bench, for
# example `scripts/bench.sh /tmp/run --transfers 20000`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

out="${1:-bench-results/$(date +%Y%m%d-%H%M%S)}"
shift || true
mkdir -p "$out"

cargo build --release --workspace
bin="$CARGO_TARGET_DIR/release"

# Throughput settings of the node under test; README "Throughput" explains each.
"$bin/consortia" --dev --tmp --rpc-port 0 --listen-addr /ip4/127.0.0.1/tcp/0 \
	--no-prometheus --no-telemetry --no-mdns \
	--pool-limit 40000 --pool-kbytes 65536 \
	2>"$out/node.log" &
node=$!
trap 'kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true' EXIT INT TERM

port=""
for _ in $(seq 120); do
	port=$(sed -n 's/.*Running JSON-RPC server: addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/node.log" | head -1)
	[ -n "$port" ] && break
	kill -0 "$node" 2>/dev/null || { tail -20 "$out/node.log"; echo "the node exited" >&2; exit 1; }
	sleep 0.5
done
[ -n "$port" ] || { echo "the node's RPC did not come up within a minute" >&2; exit 1; }

# consortia-bench's defaults are the standard run: 100,000 transfers from 1,000 accounts.
"$bin/consortia-bench" --url "ws://127.0.0.1:$port" --node-pid "$node" --out "$out" "$@"
