#!/usr/bin/env bash
# The standard throughput run. Builds, starts a fresh dev node on a temporary database, submits
# 100,000 pre-signed transfers with consortia-bench, then starts a second node that does not
# author and measures how fast it imports the filled blocks, and stops both. The folder gets
# bench.json, bench.svg and both nodes' logs.
#
#   scripts/bench.sh [OUT_DIR] [consortia-bench options...]
#
# OUT_DIR defaults to bench-results/<date-time>. Options after it go to consortia-bench, e.g.
# `scripts/bench.sh /tmp/run --transfers 20000`. NODE_ARGS adds options to the authoring node, split at spaces.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

out="${1:-bench-results/$(date +%Y%m%d-%H%M%S)}"
shift || true
mkdir -p "$out"

cargo build --release --workspace
bin="$CARGO_TARGET_DIR/release"

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -f "$out/node-key"
}
trap cleanup EXIT INT TERM

# The authoring node gets a fixed network key and port so the follower can find it.
printf '%064x' 1 >"$out/node-key"
peer_id=$("$bin/consortia" key inspect-node-key --file "$out/node-key")
p2p_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$bin/consortia" --dev --tmp --rpc-port 0 --no-prometheus --no-telemetry --no-mdns \
	--listen-addr "/ip4/127.0.0.1/tcp/$p2p_port" --node-key-file "$out/node-key" \
	${NODE_ARGS:-} 2>"$out/node.log" &
pids+=($!)
author=$!
port=$(rpc_port "$out/node.log" "$author")

# consortia-bench's defaults are the standard run: 100,000 transfers from 1,000 accounts.
"$bin/consortia-bench" --url "ws://127.0.0.1:$port" --node-pid "$author" --out "$out" "$@"

# Block import: a fresh node that does not author syncs the chain from the author.
"$bin/consortia" --chain dev --tmp --rpc-port 0 --no-prometheus --no-telemetry --no-mdns \
	--listen-addr /ip4/127.0.0.1/tcp/0 \
	--bootnodes "/ip4/127.0.0.1/tcp/$p2p_port/p2p/$peer_id" 2>"$out/follower.log" &
pids+=($!)
follower_port=$(rpc_port "$out/follower.log" "$!")
"$bin/consortia-bench" --url "ws://127.0.0.1:$follower_port" --import-of "$out/bench.json"
