#!/usr/bin/env bash
# Starts the N validators of a consortium on this machine, on loopback, prints their RPC
# addresses, and stops them all on Ctrl-C.
#
#   scripts/local-testnet.sh N [DIR]
#
# DIR holds what `consortia consortium init` writes (default: /tmp/consortia-testnet-N); it is
# generated first if it has no launch.sh. Each validator keeps its database in DIR, so a second
# run resumes the same chain; delete DIR for a new one. Logs go to DIR/validator-<i>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:?usage: scripts/local-testnet.sh N [DIR]}"
dir="${2:-${TMPDIR:-/tmp}/consortia-testnet-$n}"
scripts/setup.sh --no-js
source scripts/env.sh
cargo build --release --locked --workspace

if [ ! -f "$dir/launch.sh" ]; then
	"$CONSORTIA_BIN" consortium init --validators "$n" --out "$dir"
fi

pids=()
stop() {
	trap - EXIT INT TERM
	[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for ((i = 0; i < n; i++)); do
	"$dir/launch.sh" "$i" --no-telemetry --no-mdns 2>"$dir/validator-$i.log" &
	pids+=($!)
	rpc=$(sed -n 's/.*rpc=\([0-9]*\);.*/\1/p' "$dir/launch.sh" | sed -n "$((i + 1))p")
	echo "validator-$i: RPC ws://127.0.0.1:$rpc, log $dir/validator-$i.log"
done
echo "All $n validators started; Ctrl-C stops them."
wait
