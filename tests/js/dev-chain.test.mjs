// The polkadot.js view of a dev chain: properties, a transfer, the health table, the validator
// set and council, and a Wasm contract.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import wabtInit from 'wabt';
import { startDevNode } from './node.mjs';
import { sendAndFinalize } from './tx.mjs';

const UNIT = 10n ** 12n;

/** A little-endian u32, as the counter contract takes it. */
function u32le (n) {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, n, true);
  return u8aToHex(bytes);
}

describe('dev chain through polkadot.js', () => {
  let node, api, alice, bob;

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('reads the chain properties', async () => {
    const properties = await api.rpc.system.properties();
    assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'CNS');
    assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 12);
    assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
    assert.deepEqual(api.registry.chainTokens, ['CNS']);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.equal(api.registry.chainSS58, 42);
    assert.equal(api.runtimeVersion.specName.toString(), 'consortia');
  });

  it('transfers from Alice to Bob and sees it finalized', async () => {
    const amount = 3n * UNIT + 21n;
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const { blockHash, events } = await sendAndFinalize(
      api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);

    assert.ok(events.some(({ event }) => api.events.balances.Transfer.is(event) &&
      event.data.to.toString() === bob.address && event.data.amount.toBigInt() === amount));
    const atBlock = await api.at(blockHash);
    const afterBalance = (await atBlock.query.system.account(bob.address)).data.free.toBigInt();
    assert.equal(afterBalance, before + amount);
  });

  it('reads the health table through the runtime API and storage', async () => {
    // Alice's node sends a heartbeat every window of 5 blocks; wait for the first to land.
    let report;
    for (let tries = 0; tries < 60; tries++) {
      report = await api.call.healthApi.healthReport();
      if (report.authorities[0].lastHeartbeat.isSome) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.equal(report.heartbeatInterval.toNumber(), 5);
    assert.equal(report.offlineThreshold.toNumber(), 3);
    assert.equal(report.authorities.length, 1);
    const [row] = report.authorities;
    assert.equal(u8aToHex(row.authority.toU8a()), u8aToHex(alice.publicKey));
    assert.ok(row.online.isTrue);
    assert.ok(row.lastHeartbeat.isSome, 'a heartbeat landed within a minute');

    // The same record in storage, keyed by the Aura key.
    const entries = await api.query.health.liveness.entries();
    const record = entries.find(([key]) => u8aToHex(key.args[0].toU8a()) === u8aToHex(alice.publicKey))[1];
    assert.ok(record.offline.isFalse);
    assert.ok(record.lastHeartbeat.unwrap().toNumber() >= row.lastHeartbeat.unwrap().toNumber());

    // The heartbeat decodes as an unsigned health.heartbeat in its block.
    const hash = await api.rpc.chain.getBlockHash(row.lastHeartbeat.unwrap());
    const { block } = await api.rpc.chain.getBlock(hash);
    const heartbeats = block.extrinsics.filter((xt) => xt.method.section === 'health');
    assert.equal(heartbeats.length, 1);
    assert.equal(heartbeats[0].method.method, 'heartbeat');
    assert.equal(heartbeats[0].isSigned, false);
  });

  it('reads the validator set, session keys and council, and names a non-member\'s refusal', async () => {
    // The dev chain: Alice is its one validator and its council of one.
    const validators = await api.query.session.validators();
    assert.deepEqual(validators.map(String), [alice.address]);
    assert.deepEqual((await api.query.consortium.validators()).map(String), [alice.address]);
    const keys = (await api.query.session.nextKeys(alice.address)).unwrap();
    assert.equal(u8aToHex(keys.aura.toU8a()), u8aToHex(alice.publicKey));
    const grandpa = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
    assert.equal(u8aToHex(keys.grandpa.toU8a()), u8aToHex(grandpa.publicKey));
    const authorities = await api.query.aura.authorities();
    assert.deepEqual(authorities.map((a) => u8aToHex(a.toU8a())), [u8aToHex(alice.publicKey)]);

    assert.deepEqual((await api.query.councilMembership.members()).map(String), [alice.address]);
    assert.deepEqual((await api.query.council.members()).map(String), [alice.address]);
    const approval = await api.query.consortium.approvalThreshold();
    assert.deepEqual([approval.numerator.toNumber(), approval.denominator.toNumber()], [2, 3]);

    // Bob sits on no council: his proposal fails with a named error.
    const motion = api.tx.consortium.addValidator(bob.address);
    await assert.rejects(
      sendAndFinalize(api, api.tx.council.propose(1, motion, motion.encodedLength), bob),
      /dispatch failed: council\.NotMember/);
  });

  it('uploads, instantiates and calls a Wasm contract', async () => {
    const wabt = await wabtInit();
    const wat = readFileSync(new URL('./fixtures/counter.wat', import.meta.url), 'utf8');
    const code = u8aToHex(wabt.parseWat('counter.wat', wat).toBinary({}).buffer);

    // Dry-run first, as a wallet does, to learn the gas the instantiation needs.
    const salt = u8aToHex(new TextEncoder().encode(`counter-${Date.now()}`));
    const dryInstantiate = await api.call.contractsApi.instantiate(
      alice.address, 0, null, null, { Upload: code }, '0x', salt);
    assert.ok(dryInstantiate.result.isOk, `instantiate dry-run: ${dryInstantiate.result.toString()}`);

    const { events } = await sendAndFinalize(api, api.tx.contracts.instantiateWithCode(
      0, dryInstantiate.gasRequired, null, code, '0x', salt), alice);
    const instantiated = events.find(({ event }) => api.events.contracts.Instantiated.is(event));
    assert.ok(instantiated, 'the Instantiated event is emitted');
    const contract = instantiated.event.data.contract.toString();

    const read = async () => {
      const result = await api.call.contractsApi.call(alice.address, contract, 0, null, null, u32le(0));
      assert.ok(result.result.isOk, `call dry-run: ${result.result.toString()}`);
      return result.result.asOk.data.toHex();
    };
    assert.equal(await read(), u32le(0), 'the counter starts at 0');

    const dryCall = await api.call.contractsApi.call(alice.address, contract, 0, null, null, u32le(5));
    await sendAndFinalize(api, api.tx.contracts.call(contract, 0, dryCall.gasRequired, null, u32le(5)), alice);
    assert.equal(await read(), u32le(5), 'the call added 5 on chain');
  });
});
