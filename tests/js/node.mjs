// Starts the consortia binary on free loopback ports for a test, and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
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

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `consortia --dev --tmp` and resolves once its RPC answers. */
export async function startDevNode () {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'consortia-js-'));
  const logPath = join(logDir, 'node.log');
  const log = openSync(logPath, 'w');
  const child = spawn(binary(), [
    '--dev', '--tmp',
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus', '--no-telemetry', '--no-mdns'
  ], { stdio: ['ignore', 'ignore', log] });

  const node = {
    url: `ws://127.0.0.1:${rpcPort}`,
    logTail: () => readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n'),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`consortia exited early:\n${node.logTail()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${rpcPort}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] })
      });
      if (res.ok) return node;
    } catch (_) { /* not up yet */ }
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(`RPC did not come up:\n${node.logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
