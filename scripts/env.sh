# Sourced by the other scripts: where cargo builds, and a helper for scripts that start nodes.
#
# The build lives outside the clone, in one fixed folder, so that every clone on this machine
# (and CI, which builds a fresh clone each run) reuses the same warm build instead of spending
# an hour on a cold one.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/consortia/target}"
export CONSORTIA_BIN="${CONSORTIA_BIN:-$CARGO_TARGET_DIR/release/consortia}"

# Prints the RPC port a node logged to $1 once it is up; fails if node $2 exits first.
rpc_port() {
	local port=""
	for _ in $(seq 240); do
		port=$(sed -n 's/.*Running JSON-RPC server: addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1" | head -1)
		[ -n "$port" ] && { echo "$port"; return; }
		kill -0 "$2" 2>/dev/null || { tail -20 "$1" >&2; echo "the node exited" >&2; return 1; }
		sleep 0.5
	done
	echo "the node's RPC did not come up within two minutes" >&2
	return 1
}
