use crate::*;
use frame_support::traits::{ConstBool, ConstU32};
use polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId as AuraId;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	/// Enough for any consortium; bounds the authority list's storage.
	type MaxAuthorities = ConstU32<64>;
	type DisabledValidators = ();
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}
