//! A runtime with System, Balances, TransactionPayment and the policy, for the pallet's tests.

use crate::{self as pallet_mempool_policy, Policy, ScoreParams, Strategy};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		weights::{ConstantMultiplier, IdentityFee},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	pallet_transaction_payment::{self, FungibleAdapter},
	sp_io,
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
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(3)]
	pub type MempoolPolicy = pallet_mempool_policy;
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

#[derive_impl(pallet_transaction_payment::config_preludes::TestDefaultConfig)]
impl pallet_transaction_payment::Config for Test {
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type WeightToFee = IdentityFee<u64>;
	type LengthToFee = ConstantMultiplier<u64, polkadot_sdk::frame_support::traits::ConstU64<1>>;
}

/// The test policy: timeline, a floor of 10 per started kB, small caps so tests reach them.
pub const FLOOR_PER_KB: u64 = 10;
pub const MAX_FEE: u64 = 10_000_000_000;
pub const MAX_TX_SIZE: u32 = 2_000;
pub const MAX_PENDING: u32 = 3;

parameter_types! {
	pub TestPolicy: Policy<u64> = Policy {
		strategy: Strategy::Timeline,
		score: ScoreParams::default(),
		min_fee_per_kb: FLOOR_PER_KB,
		max_fee: MAX_FEE,
		max_tx_size: MAX_TX_SIZE,
		max_pending_per_account: MAX_PENDING,
	};
}

impl pallet_mempool_policy::Config for Test {
	type PolicyOrigin = EnsureRoot<u64>;
	type DefaultPolicy = TestPolicy;
	type WeightInfo = ();
}

/// Accounts 1, 2 and 3 hold funds; account 1 has sent 5 transactions.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 1 << 50), (2, 1 << 50), (3, 1 << 50)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(10);
		frame_system::Account::<Test>::mutate(1, |account| account.nonce = 5);
	});
	ext
}
