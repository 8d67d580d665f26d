//! Weights for `pallet_mempool_policy`, measured by frame-benchmarking on this project's reference
//! machine. Regenerate with `scripts/benchmark-pallets.sh`; do not edit by hand.
//!
//! DATE: 2026-11-21, STEPS: `50`, REPEAT: `20`
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
//! pallet_mempool_policy
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
//! pallets/mempool-policy/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet_mempool_policy`.
pub trait WeightInfo {
	fn set_policy() -> Weight;
	fn add_to_blacklist() -> Weight;
	fn remove_from_blacklist() -> Weight;
	fn check_policy() -> Weight;
	fn policed_checks() -> Weight;
}

/// Weights for `pallet_mempool_policy` with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `MempoolPolicy::ActivePolicy` (r:0 w:1)
	/// Proof: `MempoolPolicy::ActivePolicy` (`max_values`: Some(1), `max_size`: Some(65), added: 560, mode: `MaxEncodedLen`)
	fn set_policy() -> Weight {
		// Minimum execution time: 5_739_000 picoseconds.
		Weight::from_parts(6_379_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `MempoolPolicy::Blacklist` (r:1 w:1)
	/// Proof: `MempoolPolicy::Blacklist` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn add_to_blacklist() -> Weight {
		// Minimum execution time: 10_525_000 picoseconds.
		Weight::from_parts(11_427_000, 3513)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `MempoolPolicy::Blacklist` (r:1 w:1)
	/// Proof: `MempoolPolicy::Blacklist` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn remove_from_blacklist() -> Weight {
		// Minimum execution time: 11_518_000 picoseconds.
		Weight::from_parts(12_509_000, 3513)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `MempoolPolicy::ActivePolicy` (r:1 w:0)
	/// Proof: `MempoolPolicy::ActivePolicy` (`max_values`: Some(1), `max_size`: Some(65), added: 560, mode: `MaxEncodedLen`)
	/// Storage: `MempoolPolicy::Blacklist` (r:1 w:0)
	/// Proof: `MempoolPolicy::Blacklist` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:0)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn check_policy() -> Weight {
		// Minimum execution time: 10_545_000 picoseconds.
		Weight::from_parts(11_467_000, 3593)
			.saturating_add(T::DbWeight::get().reads(3))
	}
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:0)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn policed_checks() -> Weight {
		// Minimum execution time: 20_280_000 picoseconds.
		Weight::from_parts(21_602_000, 3593)
			.saturating_add(T::DbWeight::get().reads(2))
	}
}

/// The same, with RocksDB's database weights: for tests and mock runtimes.
impl WeightInfo for () {
	fn set_policy() -> Weight {
		Weight::from_parts(6_379_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn add_to_blacklist() -> Weight {
		Weight::from_parts(11_427_000, 3513)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn remove_from_blacklist() -> Weight {
		Weight::from_parts(12_509_000, 3513)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn check_policy() -> Weight {
		Weight::from_parts(11_467_000, 3593)
			.saturating_add(RocksDbWeight::get().reads(3))
	}
	fn policed_checks() -> Weight {
		Weight::from_parts(21_602_000, 3593)
			.saturating_add(RocksDbWeight::get().reads(2))
	}
}
