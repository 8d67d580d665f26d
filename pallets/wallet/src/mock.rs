//! A runtime with System, Balances and Wallet for the pallet's tests: accounts are numbers,
//! root governs the scheme policy and freezing, accounts 1 to 3 hold 1,000 each, and memos are
//! at most 16 bytes.

use crate as pallet_wallet;
use polkadot_sdk::{
	frame_support::{derive_impl, traits::ConstU32},
	frame_system::{self, EnsureRoot},
	pallet_balances, sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
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
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Wallet = pallet_wallet;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

pub const MAX_MEMO: u32 = 16;

impl pallet_wallet::Config for Test {
	type Currency = Balances;
	type PolicyOrigin = EnsureRoot<u64>;
	type AdminOrigin = EnsureRoot<u64>;
	type MaxMemoLen = ConstU32<MAX_MEMO>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: vec![(1, 1_000), (2, 1_000), (3, 1_000)],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_wallet::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Wallet(event) => Some(event),
			_ => None,
		})
		.collect()
}
