use crate::*;
use frame_support::{derive_impl, dispatch::DispatchClass, parameter_types, traits::Everything};
use polkadot_sdk::frame_support::weights::{
	constants::WEIGHT_REF_TIME_PER_MICROS, RuntimeDbWeight,
};

parameter_types! {
	/// ParityDB's cost of a storage read and a write, measured on this project's 2-core
	/// reference machine by `scripts/benchmark-storage.sh` (`benchmark storage` on a chain of
	/// 20,000 funded accounts; figures in `bench-results/weights/storage.txt`): the 99th
	/// percentile, rounded up, of reads (8.3 and 9.6 µs in two passes) and of writes committed
	/// in batches of 100 (22.9 µs; batches of 1,000 cost 11.9 µs). Substrate's reference
	/// figures for ParityDB, 8 µs and 50 µs, overstated a transfer's weight by a fifth.
	pub const MeasuredDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 10 * WEIGHT_REF_TIME_PER_MICROS,
		write: 23 * WEIGHT_REF_TIME_PER_MICROS,
	};
	pub const Version: RuntimeVersion = VERSION;
	pub RuntimeBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::with_sensible_defaults(
			MAXIMUM_BLOCK_WEIGHT,
			NORMAL_DISPATCH_RATIO,
		);
	pub RuntimeBlockLength: frame_system::limits::BlockLength =
		frame_system::limits::BlockLength::builder()
			.max_length(MAXIMUM_BLOCK_LENGTH)
			.modify_max_length_for_class(DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * *max
			})
			.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = Everything;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	/// Keep block hashes for mortal transactions for a day of 2 s blocks.
	type BlockHashCount = frame_support::traits::ConstU32<{ DAYS }>;
	/// The node stores state in ParityDB; its costs as measured on the reference machine.
	type DbWeight = MeasuredDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = frame_support::traits::ConstU32<16>;
	/// The transaction extensions (nonce, era, weight checks) costed with the node's ParityDB
	/// weights; the default `()` costs their storage access as RocksDB's, which made them
	/// about a third of a transfer's weight.
	type ExtensionsWeightInfo = frame_system::SubstrateExtensionsWeight<Runtime>;
}

/// How offchain workers (the health pallet's heartbeats) build transactions for the pool.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
