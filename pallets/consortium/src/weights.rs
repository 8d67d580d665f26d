//! Placeholder until `scripts/benchmark-pallets.sh pallets/consortium` writes the measured file.

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

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_validator(_v: u32, ) -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(3, 2)) }
	fn remove_validator(_v: u32, ) -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(1, 2)) }
	fn authorize_node() -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(2, 2)) }
	fn revoke_node() -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(2, 2)) }
	fn set_approval_threshold() -> Weight { Weight::from_parts(50_000_000, 0).saturating_add(T::DbWeight::get().writes(1)) }
}

impl WeightInfo for () {
	fn add_validator(_v: u32, ) -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(3, 2)) }
	fn remove_validator(_v: u32, ) -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(1, 2)) }
	fn authorize_node() -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(2, 2)) }
	fn revoke_node() -> Weight { Weight::from_parts(50_000_000, 4000).saturating_add(RocksDbWeight::get().reads_writes(2, 2)) }
	fn set_approval_threshold() -> Weight { Weight::from_parts(50_000_000, 0).saturating_add(RocksDbWeight::get().writes(1)) }
}
