use crate::*;
use frame_support::{
	parameter_types,
	weights::{ConstantMultiplier, IdentityFee},
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use polkadot_sdk::sp_runtime::traits::One;

parameter_types! {
	/// Fees do not rise with congestion: a consortium wants predictable costs, and the mempool
	/// policy (not a fee market) decides who goes first.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// Each byte of a transaction costs one micro-unit, as Chain33 charges by size.
	pub const TransactionByteFee: Balance = MICRO_UNIT;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are burned (dropped from issuance): no block author collects them.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	/// One planck (10^-12 CNS) of fee per picosecond of reference execution time.
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type OperationalFeeMultiplier = frame_support::traits::ConstU8<5>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
