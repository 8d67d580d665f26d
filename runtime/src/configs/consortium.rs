//! The validator set, its sessions, and who governs the consortium.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, Contains, EitherOfDiverse, EnsureOrigin},
};
use frame_system::{EnsureNever, EnsureRoot};
use polkadot_sdk::sp_runtime::traits::{ConvertInto, OpaqueKeys};
use super::RuntimeBlockWeights;

/// Governance: root (sudo, where the chain has a sudo key) or a motion of the member council
/// carried by [`pallet_consortium::ApprovalThreshold`] of its members.
pub type GovernanceOrigin = EitherOfDiverse<EnsureRoot<AccountId>, EnsureCouncilApproval>;

/// A council motion whose ayes meet the approval threshold set in genesis (and changed only by
/// governance). Motions proposed with a lower threshold still execute, and their call then
/// fails with `BadOrigin`.
pub struct EnsureCouncilApproval;
impl EnsureOrigin<RuntimeOrigin> for EnsureCouncilApproval {
	type Success = ();

	fn try_origin(origin: RuntimeOrigin) -> Result<(), RuntimeOrigin> {
		match origin.clone().into() {
			Ok(pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(ayes, members))
				if Consortium::approves(ayes, members) =>
				Ok(()),
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(1, 1).into())
	}
}

/// Blocks between session rotations when the validator set does not change: an hour. A change
/// of the set rotates at once (see `pallet_consortium`), so this only bounds how long a
/// validator's rotated session keys wait to take effect: queued at the next period's end,
/// active at the one after, so within two hours. Each rotation block carries no
/// transactions (pallet-session claims the whole block), so rare rotations keep throughput.
pub const SESSION_PERIOD: BlockNumber = HOURS;

/// Accounts that have registered session keys with `session.setKeys`.
pub struct HasSessionKeys;
impl Contains<AccountId> for HasSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct ConsortiumBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_consortium::BenchmarkHelper<AccountId> for ConsortiumBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		use polkadot_sdk::sp_core::{ed25519, sr25519};
		let keys = SessionKeys {
			aura: sr25519::Public::from_raw([7; 32]).into(),
			grandpa: ed25519::Public::from_raw([7; 32]).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

impl pallet_consortium::Config for Runtime {
	type GovernanceOrigin = GovernanceOrigin;
	type HasSessionKeys = HasSessionKeys;
	/// Aura's and GRANDPA's authority limit.
	type MaxValidators = ConstU32<64>;
	type MinValidators = ConstU32<1>;
	/// Every member's validators plus their RPC and archive nodes.
	type MaxNodes = ConstU32<256>;
	type SessionPeriod = ConstU32<SESSION_PERIOD>;
	type WeightInfo = pallet_consortium::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ConsortiumBenchmarkHelper;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is named by its organisation's account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Consortium;
	type NextSessionRotation = Consortium;
	type SessionManager = Consortium;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Validators are never disabled: there is no slashing.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Held while an account has session keys registered, so the key table is not free
	/// storage for anyone with a fee's worth of tokens.
	type KeyDeposit = ConstU128<UNIT>;
}

parameter_types! {
	/// How long a council motion stays open for votes.
	pub const MotionDuration: BlockNumber = 3 * DAYS;
	/// A motion may carry at most half a block's weight.
	pub MaxProposalWeight: Weight = RuntimeBlockWeights::get().max_block / 2;
}

/// A member who did not vote is counted against the motion, whoever the prime member is.
pub struct AbstainIsNay;
impl pallet_collective::DefaultVote for AbstainIsNay {
	fn default_vote(_prime_vote: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}

/// The member council: one seat per member organisation.
pub type CouncilCollective = pallet_collective::Instance1;

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = MotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<64>;
	/// Members who never voted count as nays when a motion closes at its deadline.
	type DefaultVote = AbstainIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Seats change only through `councilMembership`, which governance controls, so the two
	/// lists never disagree.
	type SetMembersOrigin = EnsureNever<()>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Members are known organisations: proposing needs no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	type PrimeOrigin = GovernanceOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<64>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}
