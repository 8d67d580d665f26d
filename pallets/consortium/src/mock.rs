//! A runtime with System and Consortium for the pallet's tests: accounts are numbers, sudo
//! (root) governs, validators 1, 2 and 3 to start with, a two-thirds council threshold, sessions
//! of 10 blocks, and a set of accounts with registered session keys the tests control.

use crate as pallet_consortium;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64, Contains},
	},
	frame_system::{self, EnsureRoot},
	sp_io,
	sp_runtime::BuildStorage,
};
use std::{cell::RefCell, collections::BTreeSet};

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
	pub type Consortium = pallet_consortium;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	static WITH_KEYS: RefCell<BTreeSet<u64>> = RefCell::new((1..=3).collect());
}

/// Accounts with session keys: 1, 2 and 3 at first; tests add more with [`register_keys`].
pub struct KeysRegistered;
impl Contains<u64> for KeysRegistered {
	fn contains(who: &u64) -> bool {
		WITH_KEYS.with(|set| set.borrow().contains(who))
	}
}

pub fn register_keys(who: u64) {
	WITH_KEYS.with(|set| set.borrow_mut().insert(who));
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for KeysRegistered {
	fn register_session_keys(who: &u64) {
		register_keys(*who);
	}
}

pub const SESSION_PERIOD: u64 = 10;

impl pallet_consortium::Config for Test {
	type GovernanceOrigin = EnsureRoot<u64>;
	type HasSessionKeys = KeysRegistered;
	type MaxValidators = ConstU32<5>;
	type MinValidators = ConstU32<1>;
	type MaxNodes = ConstU32<3>;
	type SessionPeriod = ConstU64<SESSION_PERIOD>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = KeysRegistered;
}

/// A peer id for the tests: an Ed25519 peer id whose key bytes are all `byte`.
pub fn node(byte: u8) -> pallet_consortium::NodeId {
	let mut id = pallet_consortium::ED25519_PEER_ID_PREFIX.to_vec();
	id.extend([byte; 32]);
	pallet_consortium::NodeId::truncate_from(id)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	WITH_KEYS.with(|set| *set.borrow_mut() = (1..=3).collect());
	let storage = RuntimeGenesisConfig {
		consortium: pallet_consortium::GenesisConfig {
			validators: vec![1, 2, 3],
			approval: pallet_consortium::Approval::TWO_THIRDS,
			nodes: vec![(node(1), 1), (node(2), 2)],
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
pub fn events() -> Vec<pallet_consortium::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Consortium(event) => Some(event),
			_ => None,
		})
		.collect()
}
