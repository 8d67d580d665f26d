//! Weights for `pallet_consortium`, measured by frame-benchmarking on this project's reference
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
//! pallet_consortium
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
//! pallets/consortium/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet_consortium`.
pub trait WeightInfo {
	fn add_validator(v: u32, ) -> Weight;
	fn remove_validator(v: u32, ) -> Weight;
	fn authorize_node() -> Weight;
	fn revoke_node() -> Weight;
	fn set_approval_threshold() -> Weight;
}

/// Weights for `pallet_consortium` with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Session::NextKeys` (r:1 w:0)
	/// Proof: `Session::NextKeys` (`max_values`: None, `max_size`: None, mode: `Measured`)
	/// Storage: `Consortium::Validators` (r:1 w:1)
	/// Proof: `Consortium::Validators` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Consortium::SetRotation` (r:0 w:1)
	/// Proof: `Consortium::SetRotation` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	fn add_validator(v: u32, ) -> Weight {
		// Minimum execution time: 17_676_000 picoseconds.
		Weight::from_parts(21_082_675, 3872)
			.saturating_add(Weight::from_parts(65_518, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(Weight::from_parts(0, 32).saturating_mul(v.into()))
	}
	/// Storage: `Consortium::Validators` (r:1 w:1)
	/// Proof: `Consortium::Validators` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Consortium::SetRotation` (r:0 w:1)
	/// Proof: `Consortium::SetRotation` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	fn remove_validator(v: u32, ) -> Weight {
		// Minimum execution time: 11_577_000 picoseconds.
		Weight::from_parts(13_767_421, 3535)
			.saturating_add(Weight::from_parts(45_501, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Consortium::AuthorizedNodes` (r:1 w:1)
	/// Proof: `Consortium::AuthorizedNodes` (`max_values`: None, `max_size`: Some(178), added: 2653, mode: `MaxEncodedLen`)
	/// Storage: `Consortium::CounterForAuthorizedNodes` (r:1 w:1)
	/// Proof: `Consortium::CounterForAuthorizedNodes` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn authorize_node() -> Weight {
		// Minimum execution time: 29_003_000 picoseconds.
		Weight::from_parts(65_898_000, 3643)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Consortium::AuthorizedNodes` (r:1 w:1)
	/// Proof: `Consortium::AuthorizedNodes` (`max_values`: None, `max_size`: Some(178), added: 2653, mode: `MaxEncodedLen`)
	/// Storage: `Consortium::CounterForAuthorizedNodes` (r:1 w:1)
	/// Proof: `Consortium::CounterForAuthorizedNodes` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn revoke_node() -> Weight {
		// Minimum execution time: 14_331_000 picoseconds.
		Weight::from_parts(33_279_000, 3643)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Consortium::ApprovalThreshold` (r:0 w:1)
	/// Proof: `Consortium::ApprovalThreshold` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	fn set_approval_threshold() -> Weight {
		// Minimum execution time: 5_248_000 picoseconds.
		Weight::from_parts(15_543_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same, with RocksDB's database weights: for tests and mock runtimes.
impl WeightInfo for () {
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(21_082_675, 3872)
			.saturating_add(Weight::from_parts(65_518, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(Weight::from_parts(0, 32).saturating_mul(v.into()))
	}
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(13_767_421, 3535)
			.saturating_add(Weight::from_parts(45_501, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn authorize_node() -> Weight {
		Weight::from_parts(65_898_000, 3643)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn revoke_node() -> Weight {
		Weight::from_parts(33_279_000, 3643)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn set_approval_threshold() -> Weight {
		Weight::from_parts(15_543_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
