use crate::*;
use polkadot_sdk::frame_support::traits::ConstU32;

impl pallet_wallet::Config for Runtime {
	type Currency = Balances;
	/// Governance: sudo on a dev chain, an approved council motion on a consortium.
	type PolicyOrigin = super::GovernanceOrigin;
	/// Freezing is governance's too: a consortium has no single administrator.
	type AdminOrigin = super::GovernanceOrigin;
	/// Chain33 bounds a note only by the transaction size; 1 KiB holds an invoice reference or
	/// a short message and keeps a memo transfer under the mempool's size cap many times over.
	type MaxMemoLen = ConstU32<1024>;
	type WeightInfo = pallet_wallet::weights::SubstrateWeight<Runtime>;
}
