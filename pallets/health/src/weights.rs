//! Weights for `pallet_health`, measured by frame-benchmarking on this project's reference
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
//! pallet_health
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
//! pallets/health/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet_health`.
pub trait WeightInfo {
	fn heartbeat(a: u32, ) -> Weight;
	fn note_author() -> Weight;
	fn close_window(a: u32, r: u32, ) -> Weight;
}

/// Weights for `pallet_health` with the runtime's own database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Aura::Authorities` (r:1 w:0)
	/// Proof: `Aura::Authorities` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Health::Liveness` (r:1 w:1)
	/// Proof: `Health::Liveness` (`max_values`: None, `max_size`: Some(62), added: 2537, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	fn heartbeat(a: u32, ) -> Weight {
		// Minimum execution time: 68_612_000 picoseconds.
		Weight::from_parts(98_560_041, 3535)
			.saturating_add(Weight::from_parts(204_612, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Aura::Authorities` (r:1 w:0)
	/// Proof: `Aura::Authorities` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Health::Liveness` (r:1 w:1)
	/// Proof: `Health::Liveness` (`max_values`: None, `max_size`: Some(62), added: 2537, mode: `MaxEncodedLen`)
	/// Storage: `Health::CounterForLiveness` (r:1 w:1)
	/// Proof: `Health::CounterForLiveness` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn note_author() -> Weight {
		// Minimum execution time: 28_692_000 picoseconds.
		Weight::from_parts(30_956_000, 3535)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Aura::Authorities` (r:1 w:0)
	/// Proof: `Aura::Authorities` (`max_values`: Some(1), `max_size`: Some(2050), added: 2545, mode: `MaxEncodedLen`)
	/// Storage: `Health::CounterForLiveness` (r:1 w:1)
	/// Proof: `Health::CounterForLiveness` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Health::Liveness` (r:129 w:128)
	/// Proof: `Health::Liveness` (`max_values`: None, `max_size`: Some(62), added: 2537, mode: `MaxEncodedLen`)
	fn close_window(a: u32, r: u32, ) -> Weight {
		// Minimum execution time: 492_722_000 picoseconds.
		Weight::from_parts(62_057_011, 3535)
			.saturating_add(Weight::from_parts(9_256_750, 0).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(7_390_626, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(1))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 2537).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(0, 2537).saturating_mul(r.into()))
	}
}

/// The same, with RocksDB's database weights: for tests and mock runtimes.
impl WeightInfo for () {
	fn heartbeat(a: u32, ) -> Weight {
		Weight::from_parts(98_560_041, 3535)
			.saturating_add(Weight::from_parts(204_612, 0).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn note_author() -> Weight {
		Weight::from_parts(30_956_000, 3535)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn close_window(a: u32, r: u32, ) -> Weight {
		Weight::from_parts(62_057_011, 3535)
			.saturating_add(Weight::from_parts(9_256_750, 0).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(7_390_626, 0).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(1))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(a.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 2537).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(0, 2537).saturating_mul(r.into()))
	}
}
