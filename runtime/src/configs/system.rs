use crate::*;
use frame_support::{derive_impl, dispatch::DispatchClass, parameter_types, traits::Everything};
use polkadot_sdk::frame_support::weights::{constants::WEIGHT_REF_TIME_PER_MICROS, RuntimeDbWeight};

parameter_types! {
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
	/// What reading and writing one storage item costs the node's ParityDB, measured with
	/// `scripts/benchmark-storage.sh` on the 2-core reference machine on a state of 20,081 keys
	/// (20,000 funded accounts; `bench-results/weights/storage.txt`): the 99th percentile of
	/// reads (8.3 and 9.6 µs in two passes; average 4.0 µs) and of writes committed in batches
	/// of 100 (22.9 µs; average 13.5 µs; batches of 1,000, nearer a full block, average 9.8 µs),
	/// rounded up. Substrate's `ParityDbWeight` (8 µs and 50 µs) was measured on a far larger
	/// state. Costs grow with the logarithm of the state's size: a chain with far more accounts
	/// should measure its own.
	pub const DbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 10 * WEIGHT_REF_TIME_PER_MICROS,
		write: 23 * WEIGHT_REF_TIME_PER_MICROS,
	};
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
	/// Storage costed as ParityDB measured on this machine class (see [`DbWeight`]).
	type DbWeight = DbWeight;
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
