//! Authority liveness: heartbeats signed with each validator's Aura key.

use crate::*;
use frame_support::{
	parameter_types,
	traits::Get,
	BoundedVec,
};
use polkadot_sdk::{
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::transaction_validity::TransactionPriority,
};

/// Aura's bound on the authority set.
type MaxAuthorities = <Runtime as pallet_aura::Config>::MaxAuthorities;

parameter_types! {
	/// A window of 5 blocks (10 s): a heartbeat per authority per window is one transaction
	/// every 5 blocks per validator (13 a block at Aura's cap of 64 validators, about 1.2 ms).
	pub const HeartbeatInterval: BlockNumber = 5;
	/// Offline after 3 windows without a heartbeat: 30–40 s at full speed, Chain33's probe
	/// delay (six 5 s checks); a single lost heartbeat is never reported.
	pub const OfflineThreshold: u32 = 3;
	/// Ahead of every transfer, beside governance's operational calls: a busy pool must not
	/// make its own validators look dead.
	pub const HeartbeatPriority: TransactionPriority = TransactionPriority::MAX;
}

/// The authorities that must send heartbeats: Aura's current set, which GRANDPA's follows.
pub struct AuraAuthorities;
impl Get<BoundedVec<AuraId, MaxAuthorities>> for AuraAuthorities {
	fn get() -> BoundedVec<AuraId, MaxAuthorities> {
		pallet_aura::Authorities::<Runtime>::get()
	}
}

impl pallet_health::Config for Runtime {
	type AuthorityId = AuraId;
	type MaxAuthorities = MaxAuthorities;
	type Authorities = AuraAuthorities;
	type FindAuthor = pallet_aura::AuraAuthorId<Runtime>;
	type HeartbeatInterval = HeartbeatInterval;
	type OfflineThreshold = OfflineThreshold;
	type HeartbeatPriority = HeartbeatPriority;
	type WeightInfo = pallet_health::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuraBenchmarkHelper;
}

/// Sets Aura's authorities and writes the pre-runtime digest Aura reads a block's author from.
#[cfg(feature = "runtime-benchmarks")]
pub struct AuraBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_health::BenchmarkHelper<AuraId, MaxAuthorities> for AuraBenchmarkHelper {
	fn set_authorities(authorities: BoundedVec<AuraId, MaxAuthorities>) {
		pallet_aura::Authorities::<Runtime>::put(authorities);
	}

	fn set_author(author: &AuraId) {
		use codec::Encode;
		use polkadot_sdk::{sp_consensus_aura::{Slot, AURA_ENGINE_ID}, sp_runtime::DigestItem};
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let index = authorities.iter().position(|a| a == author).expect("the author is an authority");
		// Aura's author is `slot mod authorities`.
		let slot = Slot::from(index as u64);
		frame_system::Pallet::<Runtime>::deposit_log(DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode()));
	}
}
