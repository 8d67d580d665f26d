//! Weights for `pallet_wallet`, measured by frame-benchmarking on this project's reference
//! machine. Regenerate with `scripts/benchmark-pallets.sh`; do not edit by hand.
//!
//! DATE: 2026-11-22, STEPS: `50`, REPEAT: `20`
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//! WASM-EXECUTION: `Compiled`, CHAIN: `Some("dev")`
//!
//! Command:
//! /root/.cache/consortia/target/release/consortia
//! benchmark
//! pallet
//! --chain
//! dev
//! --pallet
//! pallet_wallet
//! --extrinsic
//! *
//! --steps
//! 50
//! --repeat
//! 20
//! --wasm-execution
//! compiled
//! --heap-pages
//! 4096
//! --template
//! scripts/weight-template.hbs
//! --output
//! pallets/wallet/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet_wallet`.
pub trait WeightInfo {
	fn set_allowed_schemes() -> Weight;
	fn freeze() -> Weight;
	fn unfreeze() -> Weight;
	fn transfer_with_memo(m: u32, ) -> Weight;
	fn check_wallet_policy() -> Weight;
}

/// Weights for `pallet_wallet` with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Wallet::AllowedSchemes` (r:0 w:1)
	/// Proof: `Wallet::AllowedSchemes` (`max_values`: Some(1), `max_size`: Some(5), added: 500, mode: `MaxEncodedLen`)
	fn set_allowed_schemes() -> Weight {
		// Minimum execution time: 5_708_000 picoseconds.
		Weight::from_parts(9_514_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Wallet::Frozen` (r:1 w:1)
	/// Proof: `Wallet::Frozen` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	fn freeze() -> Weight {
		// Minimum execution time: 11_567_000 picoseconds.
		Weight::from_parts(13_450_000, 3517)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Wallet::Frozen` (r:1 w:1)
	/// Proof: `Wallet::Frozen` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	fn unfreeze() -> Weight {
		// Minimum execution time: 11_678_000 picoseconds.
		Weight::from_parts(20_551_000, 3517)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn transfer_with_memo(m: u32, ) -> Weight {
		// Minimum execution time: 50_795_000 picoseconds.
		Weight::from_parts(64_487_564, 3593)
			.saturating_add(Weight::from_parts(638, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Wallet::AllowedSchemes` (r:1 w:0)
	/// Proof: `Wallet::AllowedSchemes` (`max_values`: Some(1), `max_size`: Some(5), added: 500, mode: `MaxEncodedLen`)
	/// Storage: `Wallet::Frozen` (r:1 w:0)
	/// Proof: `Wallet::Frozen` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	fn check_wallet_policy() -> Weight {
		// Minimum execution time: 5_538_000 picoseconds.
		Weight::from_parts(6_199_000, 3517)
			.saturating_add(T::DbWeight::get().reads(2))
	}
}

/// The same, with RocksDB's database weights: for tests and mock runtimes.
impl WeightInfo for () {
	fn set_allowed_schemes() -> Weight {
		Weight::from_parts(9_514_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn freeze() -> Weight {
		Weight::from_parts(13_450_000, 3517)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn unfreeze() -> Weight {
		Weight::from_parts(20_551_000, 3517)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn transfer_with_memo(m: u32, ) -> Weight {
		Weight::from_parts(64_487_564, 3593)
			.saturating_add(Weight::from_parts(638, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn check_wallet_policy() -> Weight {
		Weight::from_parts(6_199_000, 3517)
			.saturating_add(RocksDbWeight::get().reads(2))
	}
}
