//! Wasm smart contracts (ink! 5).

use crate::*;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, Nothing, Randomness},
};
use frame_system::{pallet_prelude::BlockNumberFor, EnsureSigned};
use pallet_contracts::{DefaultAddressGenerator, Frame, Limits, Schedule};

/// Storage deposit for `items` storage entries holding `bytes` bytes: keeps state growth paid for.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	items as Balance * 10 * MILLI_UNIT + bytes as Balance * 10 * MICRO_UNIT
}

parameter_types! {
	/// Default costs and limits, except the memory pallet-contracts' integrity test assumes a
	/// node gives the runtime. Its 512 MiB default is a parachain validator's. On this
	/// solochain the node holds a block's storage changes, and at the measured cost of a write
	/// (23 µs) a block's weight lets contracts store up to about 452 MB (431 MiB); the test wants
	/// half of what exceeds the runtime's own 128 MiB, 448 MiB with 1 GiB, to cover that. The
	/// margin is 4 %: more block weight or a cheaper write needs this raised.
	pub ContractsSchedule: Schedule<Runtime> = Schedule {
		limits: Limits { validator_runtime_memory: 1024 * 1024 * 1024, ..Default::default() },
		..Default::default()
	};
	pub const DepositPerItem: Balance = deposit(1, 0);
	pub const DepositPerByte: Balance = deposit(0, 1);
	pub const DefaultDepositLimit: Balance = deposit(1024, 1024 * 1024);
	pub CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
}

/// `seal_random` is deprecated in pallet-contracts: code that imports it is refused at upload,
/// so this source is never consulted. It yields a fixed value rather than something that looks
/// random, to make any accidental use obvious.
pub struct NoRandomness;
impl Randomness<Hash, BlockNumberFor<Runtime>> for NoRandomness {
	fn random(_subject: &[u8]) -> (Hash, BlockNumberFor<Runtime>) {
		(Hash::zero(), 0)
	}
}

impl pallet_contracts::Config for Runtime {
	type Time = Timestamp;
	type Randomness = NoRandomness;
	type Currency = Balances;
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Contracts may not dispatch runtime calls: a consortium opts in call by call if it wants.
	type CallFilter = Nothing;
	type WeightPrice = TransactionPayment;
	type WeightInfo = pallet_contracts::weights::SubstrateWeight<Runtime>;
	type ChainExtension = ();
	type Schedule = ContractsSchedule;
	type CallStack = [Frame<Self>; 5];
	type DepositPerByte = DepositPerByte;
	type DefaultDepositLimit = DefaultDepositLimit;
	type DepositPerItem = DepositPerItem;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	type AddressGenerator = DefaultAddressGenerator;
	type MaxCodeLen = ConstU32<{ 123 * 1024 }>;
	type MaxStorageKeyLen = ConstU32<128>;
	type MaxTransientStorageSize = ConstU32<{ 1024 * 1024 }>;
	type MaxDelegateDependencies = ConstU32<32>;
	type UnsafeUnstableInterface = ConstBool<false>;
	type MaxDebugBufferLen = ConstU32<{ 2 * 1024 * 1024 }>;
	type UploadOrigin = EnsureSigned<AccountId>;
	type InstantiateOrigin = EnsureSigned<AccountId>;
	type Migrations = ();
	type Debug = ();
	type Environment = ();
	type ApiVersion = ();
	type Xcm = ();
}
