//! Signed transactions and storage keys built with the runtime's own types, as a wallet would
//! build them. The bench tool and the end-to-end tests share them.

use codec::{Decode, Encode};
use consortia_primitives::{sm2, Scheme, Signature, Sm2Signature};
use consortia_runtime::{
	pallet_mempool_policy::CheckMempoolPolicy, pallet_wallet::CheckWalletPolicy, AccountId,
	Balance, BlockNumber, Hash, Nonce, Runtime, RuntimeCall, RuntimeEvent, SignedPayload,
	TxExtension, UncheckedExtrinsic, VERSION,
};
use polkadot_sdk::{
	frame_system,
	sp_core::{
		crypto::{Pair, SecretStringError},
		ecdsa, ed25519, sr25519,
		storage::StorageKey,
	},
	sp_runtime::{generic::Era, traits::IdentifyAccount},
};

/// A key that signs transactions, in any of the chain's schemes.
pub trait TxSigner {
	/// The account the key controls.
	fn account(&self) -> AccountId;
	/// The signature of a signed payload's bytes.
	fn sign_payload(&self, payload: &[u8]) -> Signature;
}

/// ed25519, sr25519 and ecdsa keys are `sp_core` pairs whose signature the runtime's type
/// wraps directly.
macro_rules! substrate_signer {
	($($scheme:ident),*) => {$(
		impl TxSigner for $scheme::Pair {
			fn account(&self) -> AccountId {
				consortia_primitives::Signer::from(self.public()).into_account()
			}
			fn sign_payload(&self, payload: &[u8]) -> Signature {
				self.sign(payload).into()
			}
		}
	)*};
}
substrate_signer!(ed25519, sr25519, ecdsa);

/// An SM2 signature carries its public key.
impl TxSigner for sm2::Pair {
	fn account(&self) -> AccountId {
		sm2::account_id(&self.public())
	}
	fn sign_payload(&self, payload: &[u8]) -> Signature {
		Signature::Sm2(Sm2Signature { public: self.public(), signature: self.sign(payload) })
	}
}

/// A key pair of any of the chain's schemes.
#[derive(Clone)]
pub enum AnyPair {
	Ed25519(ed25519::Pair),
	Sr25519(sr25519::Pair),
	Ecdsa(ecdsa::Pair),
	Sm2(sm2::Pair),
}

impl AnyPair {
	/// The pair of `scheme` a secret URI names: a mnemonic, a hex seed or a dev seed such as
	/// `//Alice`, with `//hard` (and, for sr25519, `/soft`) derivations.
	pub fn from_uri(scheme: Scheme, uri: &str) -> Result<Self, SecretStringError> {
		Ok(match scheme {
			Scheme::Ed25519 => Self::Ed25519(Pair::from_string(uri, None)?),
			Scheme::Sr25519 => Self::Sr25519(Pair::from_string(uri, None)?),
			Scheme::Ecdsa => Self::Ecdsa(Pair::from_string(uri, None)?),
			Scheme::Sm2 => Self::Sm2(Pair::from_string(uri, None)?),
		})
	}

	/// The pair's scheme.
	pub fn scheme(&self) -> Scheme {
		match self {
			Self::Ed25519(_) => Scheme::Ed25519,
			Self::Sr25519(_) => Scheme::Sr25519,
			Self::Ecdsa(_) => Scheme::Ecdsa,
			Self::Sm2(_) => Scheme::Sm2,
		}
	}

	/// The public key's bytes: 32 for ed25519 and sr25519, 33 (SEC1-compressed) for ecdsa and
	/// SM2.
	pub fn public_bytes(&self) -> Vec<u8> {
		match self {
			Self::Ed25519(pair) => pair.public().to_vec(),
			Self::Sr25519(pair) => pair.public().to_vec(),
			Self::Ecdsa(pair) => pair.public().to_vec(),
			Self::Sm2(pair) => pair.public().as_ref().to_vec(),
		}
	}
}

impl TxSigner for AnyPair {
	fn account(&self) -> AccountId {
		match self {
			Self::Ed25519(pair) => pair.account(),
			Self::Sr25519(pair) => pair.account(),
			Self::Ecdsa(pair) => pair.account(),
			Self::Sm2(pair) => pair.account(),
		}
	}

	fn sign_payload(&self, payload: &[u8]) -> Signature {
		match self {
			Self::Ed25519(pair) => pair.sign_payload(payload),
			Self::Sr25519(pair) => pair.sign_payload(payload),
			Self::Ecdsa(pair) => pair.sign_payload(payload),
			Self::Sm2(pair) => pair.sign_payload(payload),
		}
	}
}

/// What a signer chooses besides the call: nonce, tip and lifetime.
#[derive(Clone, Copy, Debug)]
pub struct Terms {
	pub nonce: Nonce,
	pub tip: Balance,
	pub era: Era,
	/// Hash of the era's first block (the genesis hash for an immortal transaction).
	pub era_start: Hash,
	/// The chain's `spec_version` and `transaction_version`, which the signature covers.
	pub spec_version: u32,
	pub transaction_version: u32,
}

impl Terms {
	/// An immortal transaction with `nonce` and no tip, on the chain with this genesis hash,
	/// for the runtime this crate was built with.
	pub fn immortal(nonce: Nonce, genesis: Hash) -> Self {
		Self {
			nonce,
			tip: 0,
			era: Era::Immortal,
			era_start: genesis,
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		}
	}

	/// The same, for the runtime version a node runs (which an upgrade may have moved past
	/// the one this crate was built with).
	pub fn versions(self, spec_version: u32, transaction_version: u32) -> Self {
		Self { spec_version, transaction_version, ..self }
	}

	/// The same with a tip.
	pub fn tip(self, tip: Balance) -> Self {
		Self { tip, ..self }
	}

	/// The same, valid for `period` blocks from block `number` with hash `hash` (the chain's best
	/// block, as wallets such as polkadot.js choose).
	pub fn mortal(self, period: u64, number: BlockNumber, hash: Hash) -> Self {
		Self { era: Era::mortal(period, number.into()), era_start: hash, ..self }
	}
}

/// The extensions of a transaction with these terms.
pub fn extension(terms: &Terms) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		CheckWalletPolicy::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		CheckMempoolPolicy::new(terms.era, terms.nonce, terms.tip),
		frame_system::WeightReclaim::new(),
	)
}

/// What a signer signs for `call` with these terms on the chain whose genesis hash is `genesis`.
pub fn payload(call: RuntimeCall, terms: &Terms, genesis: Hash) -> SignedPayload {
	// What the extensions add to the payload without sending it: spec and transaction
	// versions, the genesis hash (CheckGenesis), and the era's first block (CheckMortality).
	let implicit = (
		(),
		(),
		terms.spec_version,
		terms.transaction_version,
		genesis,
		(terms.era_start, (), (), ()),
		(),
	);
	SignedPayload::from_raw(call, extension(terms), implicit)
}

/// Signs `call` from `signer` with the given nonce: an immortal transaction with no tip.
pub fn sign(
	call: RuntimeCall,
	signer: &impl TxSigner,
	nonce: Nonce,
	genesis: Hash,
) -> UncheckedExtrinsic {
	sign_with(call, signer, &Terms::immortal(nonce, genesis), genesis)
}

/// Signs `call` from `signer` with the given terms.
pub fn sign_with(
	call: RuntimeCall,
	signer: &impl TxSigner,
	terms: &Terms,
	genesis: Hash,
) -> UncheckedExtrinsic {
	// `using_encoded` hands over what is signed: the payload, or its blake2-256 when longer
	// than 256 bytes.
	let signature =
		payload(call.clone(), terms, genesis).using_encoded(|bytes| signer.sign_payload(bytes));
	UncheckedExtrinsic::new_signed(call, signer.account().into(), signature, extension(terms))
}

/// A `transfer_keep_alive` of `amount` to `dest`.
pub fn transfer(dest: &AccountId, amount: Balance) -> RuntimeCall {
	RuntimeCall::Balances(polkadot_sdk::pallet_balances::Call::transfer_keep_alive {
		dest: dest.clone().into(),
		value: amount,
	})
}

/// The `0x`-prefixed hex of an encoded value, as JSON-RPC takes it.
pub fn hex<T: Encode>(value: &T) -> String {
	polkadot_sdk::sp_core::bytes::to_hex(&value.encode(), false)
}

/// Decodes `0x`-prefixed hex returned by JSON-RPC.
pub fn from_hex(value: &str) -> Vec<u8> {
	polkadot_sdk::sp_core::bytes::from_hex(value).expect("the node returns valid hex")
}

/// Storage key of an account's `System::Account` entry (nonce and balances).
pub fn account_key(who: &AccountId) -> StorageKey {
	StorageKey(frame_system::Account::<Runtime>::hashed_key_for(who))
}

/// Storage key of `System::Events`.
pub fn events_key() -> StorageKey {
	StorageKey(polkadot_sdk::frame_support::storage::storage_prefix(b"System", b"Events").to_vec())
}

/// Decodes `System::Account` storage.
pub fn decode_account(
	bytes: &[u8],
) -> frame_system::AccountInfo<Nonce, polkadot_sdk::pallet_balances::AccountData<Balance>> {
	Decode::decode(&mut &bytes[..]).expect("System::Account decodes")
}

/// Decodes `System::Events` storage into the runtime's events.
pub fn decode_events(bytes: &[u8]) -> Vec<RuntimeEvent> {
	let records: Vec<frame_system::EventRecord<RuntimeEvent, Hash>> =
		Decode::decode(&mut &bytes[..]).expect("System::Events decodes");
	records.into_iter().map(|record| record.event).collect()
}
