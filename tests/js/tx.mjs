// Sending transactions through polkadot.js and waiting for finality.

/**
 * Signs and sends `tx` (with `options`, such as a custom signer); resolves with the finalized
 * block hash and events, rejects on a dispatch error or an invalid, dropped or usurped status.
 */
export function sendAndFinalize (api, tx, account, options = {}) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(account, options, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const detail = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`dispatch failed: ${detail}`));
      } else if (status.isFinalized) {
        resolve({ blockHash: status.asFinalized, events });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
    }).catch(reject);
  });
}
