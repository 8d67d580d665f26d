use crate::*;
use pallet_mempool_policy::{Policy, ScoreParams, Strategy};
use polkadot_sdk::frame_support::parameter_types;

parameter_types! {
	/// Chain33's mempool defaults in CNS. A plain transfer pays about 0.6 milli-CNS, so the
	/// floor of 0.1 milli-CNS per started kB admits it with room; the ceiling of 10 CNS is
	/// Chain33's `maxTxFee` (10 coins) and far above any honest fee (a full block of weight
	/// costs 2.7 CNS). Timeline is Chain33's default strategy.
	pub DefaultMempoolPolicy: Policy<Balance> = Policy {
		strategy: Strategy::Timeline,
		score: ScoreParams::default(),
		min_fee_per_kb: 100 * MICRO_UNIT,
		max_fee: 10 * UNIT,
		max_tx_size: 100_000,
		max_pending_per_account: 100,
	};
}

impl pallet_mempool_policy::Config for Runtime {
	/// Governance: sudo on a dev chain, an approved council motion on a consortium.
	type PolicyOrigin = super::GovernanceOrigin;
	type DefaultPolicy = DefaultMempoolPolicy;
	type WeightInfo = pallet_mempool_policy::weights::SubstrateWeight<Runtime>;
}
