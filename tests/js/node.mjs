// Starts the consortia binary on loopback for a test, and stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary under test: $CONSORTIA_BIN, or the release build in $CARGO_TARGET_DIR. */
export function binary () {
  if (process.env.CONSORTIA_BIN) return process.env.CONSORTIA_BIN;
  const target = process.env.CARGO_TARGET_DIR || new URL('../../target', import.meta.url).pathname;
  const bin = join(target, 'release', 'consortia');
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: build with \`cargo build --release --workspace\` or set CONSORTIA_BIN`);
  }
  return bin;
}

/** The IPv4 RPC port from the node's `Running JSON-RPC server: addr=127.0.0.1:PORT,...` line. */
function loggedRpcPort (log) {
  const match = /Running JSON-RPC server: addr=127\.0\.0\.1:(\d+)/.exec(log);
  return match ? Number(match[1]) : null;
}

/**
 * Starts `consortia --dev --tmp` and resolves once its RPC answers. Ports are 0 (the OS picks
 * free ones at bind time, so nothing races for them); the RPC port is read from the log.
 */
export async function startDevNode () {
  const logDir = mkdtempSync(join(tmpdir(), 'consortia-js-'));
  const logPath = join(logDir, 'node.log');
  const child = spawn(binary(), [
    '--dev', '--tmp',
    '--rpc-port', '0',
    '--listen-addr', '/ip4/127.0.0.1/tcp/0',
    '--no-prometheus', '--no-telemetry', '--no-mdns'
  ], { stdio: ['ignore', 'ignore', openSync(logPath, 'w')] });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  // If the test runner itself exits, take the node with it.
  const killOnExit = () => { if (!exited()) child.kill('SIGKILL'); };
  process.once('exit', killOnExit);

  const readLog = () => readFileSync(logPath, 'utf8');
  const node = {
    url: null,
    logTail: () => readLog().split('\n').slice(-40).join('\n'),
    stop: () => new Promise((resolve) => {
      process.removeListener('exit', killOnExit);
      const done = () => { rmSync(logDir, { recursive: true, force: true }); resolve(); };
      if (exited()) return done();
      child.once('exit', done);
      child.kill('SIGKILL');
    })
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`consortia exited early:\n${node.logTail()}`);
    const port = loggedRpcPort(readLog());
    if (port) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] })
        });
        if (res.ok) {
          node.url = `ws://127.0.0.1:${port}`;
          return node;
        }
      } catch (_) { /* not up yet */ }
    }
    if (Date.now() > deadline) {
      const tail = node.logTail();
      await node.stop();
      throw new Error(`RPC did not come up:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
