//! Interim weights, replaced by `scripts/benchmark-pallets.sh`.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_mempool_policy`.
pub trait WeightInfo {
	fn set_policy() -> Weight;
	fn add_to_blacklist() -> Weight;
	fn remove_from_blacklist() -> Weight;
	fn check_policy() -> Weight;
	fn policed_checks() -> Weight;
}

/// Weights for `pallet_mempool_policy` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_policy() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().writes(1))
	}
	fn add_to_blacklist() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn remove_from_blacklist() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn check_policy() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads(3))
	}
	fn policed_checks() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads(2))
	}
}

impl WeightInfo for () {
	fn set_policy() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn add_to_blacklist() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn remove_from_blacklist() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn check_policy() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads(3))
	}
	fn policed_checks() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads(2))
	}
}
