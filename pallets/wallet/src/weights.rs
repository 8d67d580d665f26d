//! Weights for `pallet_wallet`. Placeholder until `scripts/benchmark-pallets.sh pallets/wallet`
//! measures them on this project's reference machine.

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
	fn set_allowed_schemes() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn freeze() -> Weight {
		Weight::from_parts(30_000_000, 3500)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn unfreeze() -> Weight {
		Weight::from_parts(30_000_000, 3500)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn transfer_with_memo(m: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 3600)
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn check_wallet_policy() -> Weight {
		Weight::from_parts(10_000_000, 3500)
			.saturating_add(T::DbWeight::get().reads(2))
	}
}

/// The same, with RocksDB's database weights: for tests and mock runtimes.
impl WeightInfo for () {
	fn set_allowed_schemes() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn freeze() -> Weight {
		Weight::from_parts(30_000_000, 3500)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn unfreeze() -> Weight {
		Weight::from_parts(30_000_000, 3500)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn transfer_with_memo(m: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 3600)
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn check_wallet_policy() -> Weight {
		Weight::from_parts(10_000_000, 3500)
			.saturating_add(RocksDbWeight::get().reads(2))
	}
}
