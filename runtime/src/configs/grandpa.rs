use crate::*;
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<64>;
	/// No staking, so no nominators.
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// Equivocation reports are not processed: consortium members are known organisations,
	/// accountable off chain, and there is no stake to slash.
	type KeyOwnerProof = polkadot_sdk::sp_core::Void;
	type EquivocationReportSystem = ();
}
