//! A runtime with System and Health for the pallet's tests: authorities 1, 2 and 3 (test keys
//! whose "signature" names the signer and the message), heartbeat windows of 5 blocks, offline
//! after 3 missed windows, and blocks authored in turn as under Aura.

use crate::{self as pallet_health, Event};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, FindAuthor, Hooks},
		BoundedVec,
	},
	frame_system, sp_io,
	sp_runtime::{
		testing::{TestXt, UintAuthorityId},
		BuildStorage, ConsensusEngineId, Digest, DigestItem,
	},
};

pub type Extrinsic = TestXt<RuntimeCall, ()>;
type Block = polkadot_sdk::sp_runtime::generic::Block<
	polkadot_sdk::sp_runtime::generic::Header<u64, polkadot_sdk::sp_runtime::traits::BlakeTwo256>,
	Extrinsic,
>;

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
	pub type Health = pallet_health;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> Extrinsic {
		Extrinsic::new_bare(call)
	}
}

pub const INTERVAL: u64 = 5;
pub const THRESHOLD: u32 = 3;
pub const PRIORITY: u64 = 1 << 60;
/// The engine id of the mock's pre-runtime digest naming a block's author.
const ENGINE: ConsensusEngineId = *b"TEST";

parameter_types! {
	/// The current authority set, by test-key id.
	pub static AuthorityIds: Vec<u64> = vec![1, 2, 3];
}

pub struct CurrentAuthorities;
impl polkadot_sdk::frame_support::traits::Get<BoundedVec<UintAuthorityId, ConstU32<8>>>
	for CurrentAuthorities
{
	fn get() -> BoundedVec<UintAuthorityId, ConstU32<8>> {
		BoundedVec::truncate_from(AuthorityIds::get().into_iter().map(UintAuthorityId).collect())
	}
}

/// Reads the author's key id from the mock's pre-runtime digest.
pub struct AuthorFromDigest;
impl FindAuthor<UintAuthorityId> for AuthorFromDigest {
	fn find_author<'a, I>(digests: I) -> Option<UintAuthorityId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		digests
			.into_iter()
			.find(|(engine, _)| *engine == ENGINE)
			.and_then(|(_, mut data)| u64::decode(&mut data).ok())
			.map(UintAuthorityId)
	}
}

pub fn author_digest(author: u64) -> DigestItem {
	DigestItem::PreRuntime(ENGINE, author.encode())
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<UintAuthorityId, ConstU32<8>> for () {
	fn set_authorities(authorities: BoundedVec<UintAuthorityId, ConstU32<8>>) {
		AuthorityIds::set(authorities.into_iter().map(|id| id.0).collect());
	}
	fn set_author(author: &UintAuthorityId) {
		System::deposit_log(author_digest(author.0));
	}
}

impl pallet_health::Config for Test {
	type AuthorityId = UintAuthorityId;
	type MaxAuthorities = ConstU32<8>;
	type Authorities = CurrentAuthorities;
	type FindAuthor = AuthorFromDigest;
	type HeartbeatInterval = ConstU64<INTERVAL>;
	type OfflineThreshold = ConstU32<THRESHOLD>;
	type HeartbeatPriority = ConstU64<PRIORITY>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Genesis, at block 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(0));
	ext
}

/// Starts blocks up to `n`, each authored by the authority whose turn it is (block `b` by
/// authority `b mod len`), and returns the pallet's events with the block that emitted them.
pub fn run_to_block(n: u64) -> Vec<(u64, Event<Test>)> {
	let mut events = Vec::new();
	while System::block_number() < n {
		let next = System::block_number() + 1;
		let authorities = AuthorityIds::get();
		let author = authorities[next as usize % authorities.len()];
		System::reset_events();
		System::initialize(&next, &Default::default(), &Digest { logs: vec![author_digest(author)] });
		Health::on_initialize(next);
		events.extend(System::events().into_iter().filter_map(|record| match record.event {
			RuntimeEvent::Health(event) => Some((next, event)),
			_ => None,
		}));
	}
	events
}
