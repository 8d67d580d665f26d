//! The Consortia runtime: FRAME pallets for a consortium chain.
//!
//! Chain-wide choices (block time, block limits, currency units) live here; each pallet's
//! configuration lives in its own file under `configs/`.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` expands deeply.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
pub mod configs;
pub mod genesis_config_presets;

use alloc::{borrow::Cow, vec::Vec};
use polkadot_sdk::{
	frame_support::weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, Weight},
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, Perbill,
	},
	*,
};
use sp_version::RuntimeVersion;

pub use polkadot_sdk::{frame_support, frame_system, sp_runtime};
pub use pallet_consortium;
pub use pallet_health;
pub use pallet_mempool_policy;
pub use pallet_wallet;
pub use polkadot_sdk::{
	pallet_balances, pallet_collective, pallet_contracts, pallet_membership, pallet_session,
	pallet_sudo, pallet_transaction_payment,
};

/// The signature of a transaction: ed25519, sr25519, ecdsa or SM2 (see `consortia_primitives`).
pub type Signature = consortia_primitives::Signature;
/// An account on chain: the public key of an ed25519 or sr25519 key, the blake2-256 of an ecdsa
/// key, or of `"sm2:"` and an SM2 key.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances are 128-bit: 12 decimals leave room for any consortium's supply.
pub type Balance = u128;
/// The count of transactions an account has sent.
pub type Nonce = u32;
/// Block height.
pub type BlockNumber = u32;
/// Block and state hashes.
pub type Hash = polkadot_sdk::sp_core::H256;
/// How transactions name an account.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// A block of this runtime, with its transactions decoded.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction passes, in this order. Clients (polkadot.js) read this
/// list from the metadata; changing it changes the signed payload, so bump `transaction_version`.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	// The signature scheme and frozen accounts: right after the sender check, so a refused
	// transaction costs no more.
	pallet_wallet::CheckWalletPolicy<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	// Mortality, nonce, weight and fee payment, under the mempool policy (which sets the
	// priority): clients see and sign the four standard checks. `apis.rs` and the bench's
	// validation tool read it as element 5.
	pallet_mempool_policy::CheckMempoolPolicy<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// A transaction as it travels on the wire (signed extrinsics v4 for signed transactions).
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a signer signs: the call, the extension data and what the extensions imply.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Runs blocks and transactions against the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

/// Types the node needs without knowing the runtime's call set.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// A block with opaque transactions.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// The keys a validator registers: Aura to author blocks, GRANDPA to vote on finality.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("consortia"),
	impl_name: Cow::Borrowed("consortia"),
	authoring_version: 1,
	spec_version: 106,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Target block time.
///
/// A consortium runs a handful of validators on well-connected machines, so blocks can come
/// far faster than the 6 s of a public chain: 2 s matches Chain33's one-second packing cadence
/// closely while leaving Aura's slot (of which the author builds for 90 % on a dev chain and
/// 50 % with several validators) room for a full block on a 2-core machine, and GRANDPA
/// finalizes within a block.
pub const MILLI_SECS_PER_BLOCK: u64 = 2_000;
/// Aura slots are one block long. Changing this on a live chain stops block production.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// Execution time a block may use, in reference-machine weight: 2.7 seconds.
///
/// Weight counts time on Parity's reference machine, and the 2-core machines we target run
/// faster: a sole author filled blocks of 6,286 transfers (430 µs of weight each) within its
/// 1.8 s build window. What bounds a block here is its import instead: a follower, or
/// a validator that fell behind, must import blocks at least three times as fast as the chain
/// makes them, so it catches up instead of lagging. A follower imports about 8,200 transfers a
/// second (`scripts/bench.sh`), about 5,500 in a third of the block time; 2.43 s of weight for
/// ordinary transactions holds about 5,650 (5,556 on average in the standard run, whose
/// follower imported 3.0 times as fast as the chain finalized). At 3 s (6,286 transfers) the
/// chain finalized 2,922 transfers a second but followers imported only 2.8 times as fast.
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2_700 * WEIGHT_REF_TIME_PER_MILLIS, u64::MAX);
/// Share of a block that ordinary transactions may fill; the rest is kept for calls of the
/// Operational class (such as `System::set_code` for a runtime upgrade) so they get in even
/// when the chain is saturated. A consortium's operational traffic is small, so 10 % is enough.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(90);
/// Largest encoded block: 5 MiB, a full block of transfers is far below it.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// The chain's token: 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = UNIT / 1_000;
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
/// The smallest balance an account may hold; below it the account is removed.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Token symbol and decimals that clients show; the node puts them in the chain-spec properties.
pub const TOKEN_SYMBOL: &str = "CNS";
pub const TOKEN_DECIMALS: u8 = 12;
/// Address format: 42 is the generic Substrate prefix, which polkadot.js and every Substrate
/// wallet understand without configuration.
pub const SS58_PREFIX: u16 = 42;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(8)]
	pub type Contracts = pallet_contracts;
	#[runtime::pallet_index(9)]
	pub type MempoolPolicy = pallet_mempool_policy;
	#[runtime::pallet_index(10)]
	pub type Health = pallet_health;
	// Consortium before Session: the session's genesis asks it for the first validators.
	#[runtime::pallet_index(11)]
	pub type Consortium = pallet_consortium;
	#[runtime::pallet_index(12)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(13)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(14)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(15)]
	pub type Wallet = pallet_wallet;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	polkadot_sdk::frame_benchmarking::define_benchmarks!(
		[pallet_mempool_policy, MempoolPolicy]
		[pallet_health, Health]
		[pallet_consortium, Consortium]
		[pallet_wallet, Wallet]
	);
}
