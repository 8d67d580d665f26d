// Signature schemes and the wallet policy through polkadot.js: transfers signed with SM2 (by
// sm-crypto, an SM2 implementation independent of the node's), ed25519 and ecdsa, decoded back
// from their blocks; the SM2-only policy; freezing; transfers with a memo.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import smCrypto from 'sm-crypto';
import { startDevNode } from './node.mjs';
import { sendAndFinalize } from './tx.mjs';

const { sm2 } = smCrypto;
const UNIT = 10n ** 12n;
// The wallet pallet's refusal codes (`pallet_wallet::Refusal`).
const SIGNATURE_SCHEME_DISABLED = 120;
const ACCOUNT_FROZEN = 121;
// The runtime's signature enum: MultiSignature's variants 0 to 2, then SM2.
const SM2_VARIANT = 3;

/**
 * An SM2 key made by sm-crypto, as polkadot.js sees an account: its address (the blake2-256 of
 * "sm2:" and the compressed public key) and a signer that signs payloads with the key. With
 * `tamper`, the signer flips a bit of every signature.
 */
function sm2Account (api, { tamper = false } = {}) {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  const compressed = hexToU8a(`0x${sm2.compressPublicKeyHex(publicKey)}`);
  const address = encodeAddress(blake2AsU8a(u8aConcat(stringToU8a('sm2:'), compressed), 256), 42);
  const signer = {
    signPayload: async (payload) => {
      const bytes = api.registry
        .createType('ExtrinsicPayload', payload, { version: payload.version })
        .toU8a({ method: true });
      // Substrate signs payloads longer than 256 bytes by their blake2-256.
      const message = bytes.length > 256 ? blake2AsU8a(bytes, 256) : bytes;
      // GB/T 32918 with SM3 over Z || message and the default user id 1234567812345678.
      const rs = hexToU8a(`0x${sm2.doSignature(Array.from(message), privateKey, { hash: true, publicKey })}`);
      if (tamper) rs[63] ^= 1;
      return { id: 1, signature: u8aToHex(u8aConcat([SM2_VARIANT], compressed, rs)) };
    }
  };
  return { address, signer, publicKey: compressed };
}

describe('signature schemes and the wallet policy through polkadot.js', () => {
  let node, api, keyring, alice, bob, sm;

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode();
    api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
    keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    sm = sm2Account(api);
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(sm.address, 100n * UNIT), alice);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  /** The signed extrinsic from `address` in block `blockHash`, decoded by polkadot.js. */
  async function signedBy (blockHash, address) {
    const { block } = await api.rpc.chain.getBlock(blockHash);
    const found = block.extrinsics.find((ex) => ex.isSigned && ex.signer.toString() === address);
    assert.ok(found, `block ${blockHash} holds a transaction from ${address}`);
    return found;
  }

  /** `from` sends 1 CNS to Bob; resolves with the decoded extrinsic once finalized. */
  async function transferToBob (from, options) {
    const { blockHash, events } = await sendAndFinalize(
      api, api.tx.balances.transferKeepAlive(bob.address, UNIT), from, options);
    const fromAddress = typeof from === 'string' ? from : from.address;
    assert.ok(events.some(({ event }) => api.events.balances.Transfer.is(event) &&
      event.data.from.toString() === fromAddress && event.data.to.toString() === bob.address));
    return signedBy(blockHash, fromAddress);
  }

  it('finalizes a transfer signed with SM2 and decodes the SM2 signature from its block', async () => {
    const ex = await transferToBob(sm.address, { signer: sm.signer });
    const signature = ex.inner.signature.multiSignature;
    assert.ok(signature.isSm2, `an SM2 signature, not ${signature.type}`);
    assert.equal(signature.index, SM2_VARIANT);
    assert.deepEqual(u8aToU8a(signature.asSm2.public.toU8a()), sm.publicKey);
    assert.equal(signature.asSm2.signature.toU8a().length, 64);
  });

  it('refuses an SM2 signature with one bit flipped', async () => {
    const forger = sm2Account(api, { tamper: true });
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(forger.address, 10n * UNIT), alice);
    await assert.rejects(
      api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(forger.address, { signer: forger.signer }),
      /bad signature/);
  });

  it('finalizes transfers signed with ed25519 and ecdsa keys from @polkadot/keyring', async () => {
    for (const [type, variant] of [['ed25519', 'isEd25519'], ['ecdsa', 'isEcdsa']]) {
      const pair = keyring.addFromUri('//Wallet', {}, type);
      await sendAndFinalize(api, api.tx.balances.transferKeepAlive(pair.address, 10n * UNIT), alice);
      const ex = await transferToBob(pair);
      assert.ok(ex.inner.signature.multiSignature[variant], `${type}: ${ex.inner.signature.multiSignature.type}`);
    }
  });

  it('refuses sr25519 while governance allows only SM2, and takes it again once re-enabled', async () => {
    // Governance in a 国密-only chain signs with SM2 too: hand sudo to the SM2 account first.
    await sendAndFinalize(api, api.tx.sudo.setKey(sm.address), alice);
    const asSm2 = { signer: sm.signer };
    const { events } = await sendAndFinalize(
      api, api.tx.sudo.sudo(api.tx.wallet.setAllowedSchemes(['Sm2'])), sm.address, asSm2);
    assert.ok(events.some(({ event }) => api.events.wallet.SchemesSet.is(event)));
    assert.deepEqual((await api.query.wallet.allowedSchemes()).toJSON(), ['Sm2']);

    await assert.rejects(
      api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(alice),
      new RegExp(`Invalid Transaction: Custom error: ${SIGNATURE_SCHEME_DISABLED}`));
    await transferToBob(sm.address, asSm2);

    await sendAndFinalize(api, api.tx.sudo.sudo(
      api.tx.wallet.setAllowedSchemes(['Ed25519', 'Sr25519', 'Ecdsa', 'Sm2'])), sm.address, asSm2);
    await sendAndFinalize(api, api.tx.sudo.setKey(alice.address), sm.address, asSm2);
    await transferToBob(alice);
  });

  it('refuses a frozen account at submission until it is unfrozen', async () => {
    await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.wallet.freeze(bob.address)), alice);
    await assert.rejects(
      api.tx.balances.transferKeepAlive(alice.address, UNIT).signAndSend(bob),
      new RegExp(`Invalid Transaction: Custom error: ${ACCOUNT_FROZEN}`));
    await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.wallet.unfreeze(bob.address)), alice);
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(alice.address, UNIT), bob);
  });

  it('records the memo of a transfer in its event', async () => {
    const { events } = await sendAndFinalize(
      api, api.tx.wallet.transferWithMemo(alice.address, 2n * UNIT, 'invoice 42'), bob);
    const transfer = events.map(({ event }) => event).find((event) => api.events.wallet.Transfer.is(event));
    assert.ok(transfer, 'a wallet.Transfer event');
    assert.equal(transfer.data.from.toString(), bob.address);
    assert.equal(transfer.data.amount.toBigInt(), 2n * UNIT);
    assert.equal(transfer.data.memo.toUtf8(), 'invoice 42');
  });
});
