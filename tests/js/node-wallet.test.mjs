// The node wallet's JSON exports through polkadot.js: an account the node wallet created and
// exported imports into @polkadot/keyring and signs a transfer the node accepts, for sr25519,
// ed25519 and ecdsa; a keyring export imports into the node wallet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from './node.mjs';
import { sendAndFinalize } from './tx.mjs';

const UNIT = 10n ** 12n;
const WALLET_PASSWORD = 'node wallet password';
const EXPORT_PASSWORD = 'export password';
// `wallet_*` error codes (node/src/rpc/wallet.rs).
const WRONG_PASSWORD = 7002;

describe('node wallet exports through polkadot.js', () => {
  let node, provider, api, alice, bob;
  const wallet = (method, ...params) => provider.send(`wallet_${method}`, params);

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode();
    provider = new WsProvider(node.url);
    api = await ApiPromise.create({ provider, noInitWarn: true });
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    await wallet('setPassword', null, WALLET_PASSWORD);
    await wallet('unlock', WALLET_PASSWORD, 0);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  for (const scheme of ['sr25519', 'ed25519', 'ecdsa']) {
    it(`a ${scheme} account exported by the node signs through @polkadot/keyring`, async () => {
      const account = await wallet('createAccount', scheme, `exported ${scheme}`);
      await sendAndFinalize(api, api.tx.balances.transferKeepAlive(account.address, 10n * UNIT), alice);

      const json = await wallet('exportAccount', account.address, EXPORT_PASSWORD);
      assert.deepEqual(json.encoding, { content: ['pkcs8', scheme], type: ['scrypt', 'xsalsa20-poly1305'], version: '3' });
      const pair = new Keyring({ type: scheme, ss58Format: 42 }).addFromJson(json);
      assert.equal(pair.address, account.address);
      assert.throws(() => pair.decodePkcs8('not the password'));
      pair.decodePkcs8(EXPORT_PASSWORD);

      const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
      await sendAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, UNIT), pair);
      const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
      assert.equal(after - before, UNIT);
    });
  }

  it('an SM2 export has the same envelope, which polkadot.js refuses as an unknown type', async () => {
    const account = await wallet('createAccount', 'sm2', 'exported sm2');
    const json = await wallet('exportAccount', account.address, EXPORT_PASSWORD);
    assert.deepEqual(json.encoding.content, ['pkcs8', 'sm2']);
    assert.equal(json.address, account.publicKey);
    assert.throws(() => new Keyring().addFromJson(json), /Unknown crypto type sm2/);
  });

  it('a @polkadot/keyring export imports into the node wallet, which sends from it', async () => {
    const dave = new Keyring({ type: 'ed25519' }).addFromUri('//Dave');
    const json = dave.toJson('dave password');
    await assert.rejects(wallet('importJson', json, 'wrong password', 'dave'), (e) => {
      assert.match(e.message, new RegExp(`${WRONG_PASSWORD}: wrong password`));
      return true;
    });
    const imported = await wallet('importJson', json, 'dave password', 'dave');
    assert.equal(imported.address, dave.address);
    assert.equal(imported.scheme, 'ed25519');

    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(dave.address, 10n * UNIT), alice);
    const free = async () => (await api.query.system.account(dave.address)).data.free.toBigInt();
    const before = await free();
    const hash = await wallet('transfer', dave.address, bob.address, Number(UNIT), null);
    assert.match(hash, /^0x[0-9a-f]{64}$/);
    // Finalized: Dave's balance at the finalized head drops by the amount and the fee.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const head = await api.rpc.chain.getFinalizedHead();
      const at = await api.at(head);
      if ((await at.query.system.account(dave.address)).data.free.toBigInt() <= before - UNIT) break;
      assert.ok(Date.now() < deadline, 'the wallet_transfer was not finalized in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
});
