//! # Consortium
//!
//! The rules a consortium of member organisations runs its chain by, changed only by its
//! governance (the runtime names the origin: sudo on dev chains, an approved motion of the
//! member council on a consortium):
//!
//! * **Validators.** The pallet is pallet-session's session manager. [`Call::add_validator`] and
//!   [`Call::remove_validator`] change the chosen set; the session then rotates twice on the
//!   next blocks (once to queue the new set, once to make it active), so Aura and GRANDPA follow
//!   two blocks after the change is made, with no waiting for a session's end. Without changes,
//!   sessions rotate every [`Config::SessionPeriod`] blocks so that rotated session keys take
//!   effect. A validator must have registered its session keys (`session.setKeys`) before it
//!   can be added, or the session would silently skip it.
//! * **Approval threshold.** The share of the council that must approve a motion,
//!   [`ApprovalThreshold`]: set in genesis, changed by governance. The runtime's governance
//!   origin asks [`Pallet::approves`] whether a motion's votes meet it.
//! * **Authorised nodes.** The network peers ([`NodeId`], a libp2p peer id in its byte form)
//!   that may take part. While the list is not empty, the offchain worker of every node that
//!   runs one tells its network to sync only with the listed peers (reserved-only), so an
//!   unlisted node gets no blocks from them. Offchain workers run on validators by default; a
//!   listed non-validator node needs `--offchain-worker always` (or `--reserved-only`), or it
//!   serves anyone. An empty list leaves the network open, as a dev chain wants, and emptying
//!   the list opens it again.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support, frame_system, pallet_session, sp_core::OpaquePeerId, sp_io, sp_runtime,
};
use scale_info::TypeInfo;

/// The share of the council's members that must vote for a motion: at least
/// `numerator / denominator` of them.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Approval {
	pub numerator: u32,
	pub denominator: u32,
}

impl Approval {
	/// Two thirds of the members, the threshold BFT finality also needs.
	pub const TWO_THIRDS: Self = Self { numerator: 2, denominator: 3 };

	/// A share above zero and at most the whole council.
	pub fn is_valid(&self) -> bool {
		self.numerator > 0 && self.numerator <= self.denominator
	}

	/// The fewest "aye" votes that meet this share of `members`.
	pub fn required(&self, members: u32) -> u32 {
		let needed = u64::from(members) * u64::from(self.numerator);
		needed.div_ceil(u64::from(self.denominator.max(1))) as u32
	}
}

impl Default for Approval {
	fn default() -> Self {
		Self::TWO_THIRDS
	}
}

/// Where the session stands in applying a change of the validator set.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub enum Rotation {
	/// The active set is the chosen set.
	#[default]
	Idle,
	/// The chosen set changed; the next rotation queues it.
	Pending,
	/// The chosen set is queued; the next rotation makes it active.
	Queued,
}

/// Sets the scene for the benchmarks: session keys live in pallet-session, which the runtime
/// wires in.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who`, so that it can be added as a validator.
	fn register_session_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{offchain::storage::StorageValueRef, traits::Zero};

	/// A network peer id in libp2p's byte form (`PeerId::to_bytes`, 38 bytes for an Ed25519
	/// node key).
	pub type NodeId = BoundedVec<u8, ConstU32<128>>;

	/// The first bytes of an Ed25519 peer id: identity multihash (0x00) of 36 bytes (0x24), a
	/// protobuf public key of type Ed25519 (0x08 0x01) with 32 bytes of key (0x12 0x20).
	pub const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who may change the validators, the authorised nodes and the approval threshold.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Accounts that have registered session keys: only they can be added as validators.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// The largest validator set (at most the consensus pallets' authority limits).
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The fewest validators the set may shrink to.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// The longest list of authorised nodes.
		#[pallet::constant]
		type MaxNodes: Get<u32>;
		/// Blocks between session rotations when nothing changes.
		#[pallet::constant]
		type SessionPeriod: Get<BlockNumberFor<Self>>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validator set governance has chosen. It becomes the active set (pallet-session's
	/// `validators`, Aura's and GRANDPA's authorities) two blocks after it changes.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// How far the session is in applying the last change of [`Validators`].
	#[pallet::storage]
	pub type SetRotation<T> = StorageValue<_, Rotation, ValueQuery>;

	/// The share of the council that must approve a motion.
	#[pallet::storage]
	pub type ApprovalThreshold<T> = StorageValue<_, Approval, ValueQuery>;

	/// The nodes allowed on the network, each with the account of the member that runs it.
	#[pallet::storage]
	pub type AuthorizedNodes<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, NodeId, T::AccountId>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first validators; each needs session keys in pallet-session's genesis. Leave it
		/// empty only on a chain whose set never changes: pallet-session's genesis keys then
		/// pick the first set, and governance would start from an empty one.
		pub validators: Vec<T::AccountId>,
		pub approval: Approval,
		/// Nodes allowed on the network and their members; empty for an open network.
		pub nodes: Vec<(NodeId, T::AccountId)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.approval.is_valid(), "consortium: approval must be within (0, 1]");
			let mut validators = self.validators.clone();
			validators.sort();
			validators.dedup();
			assert_eq!(validators.len(), self.validators.len(), "consortium: duplicate validator");
			Validators::<T>::put(
				BoundedVec::try_from(self.validators.clone())
					.expect("consortium: more validators than MaxValidators"),
			);
			ApprovalThreshold::<T>::put(self.approval);
			assert!(
				self.nodes.len() <= T::MaxNodes::get() as usize,
				"consortium: more nodes than MaxNodes"
			);
			for (node, owner) in &self.nodes {
				assert!(
					!AuthorizedNodes::<T>::contains_key(node),
					"consortium: duplicate authorised node"
				);
				AuthorizedNodes::<T>::insert(node, owner);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the chosen set; it is queued at the next block's session rotation and
		/// active from the one after.
		ValidatorAdded { who: T::AccountId },
		/// `who` leaves the chosen set; active again without it two rotations later.
		ValidatorRemoved { who: T::AccountId },
		/// The chosen validator set is queued in the session and becomes active at the next
		/// rotation.
		ValidatorSetQueued { session: u32, validators: Vec<T::AccountId> },
		/// `node` may now take part in the network, run by `owner`.
		NodeAuthorized { node: NodeId, owner: T::AccountId },
		/// `node` may no longer take part in the network.
		NodeRevoked { node: NodeId },
		/// Motions now need `approval` of the council.
		ApprovalThresholdSet { approval: Approval },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The account has not registered session keys with `session.setKeys`.
		NoSessionKeys,
		/// The validator set is at its size limit.
		TooManyValidators,
		/// Removing the validator would leave fewer than `MinValidators`.
		TooFewValidators,
		/// The node is authorised already.
		NodeAlreadyAuthorized,
		/// The node is not authorised.
		NodeNotAuthorized,
		/// The list of authorised nodes is at its size limit.
		TooManyNodes,
		/// A node id is not a peer id's bytes (`PeerId::to_bytes` of an Ed25519 node key).
		InvalidNodeId,
		/// The approval threshold must be above zero and at most the whole council.
		InvalidApproval,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Makes this node's network sync only with the authorised nodes, while there are any.
		fn offchain_worker(_now: BlockNumberFor<T>) {
			// Whether this node restricted its network: when the list empties, it opens it
			// again, once.
			let mut restricted = StorageValueRef::persistent(b"consortium::restricted");
			let was_restricted = restricted.get::<bool>().ok().flatten() == Some(true);
			if AuthorizedNodes::<T>::count() == 0 {
				if was_restricted {
					sp_io::offchain::set_authorized_nodes(Vec::new(), false);
					restricted.clear();
				}
				return;
			}
			let local = match sp_io::offchain::network_state()
				.ok()
				.and_then(|state| Vec::<u8>::decode(&mut &state.peer_id.0[..]).ok())
			{
				Some(local) => local,
				None => {
					log::error!(target: "runtime::consortium", "cannot read this node's peer id");
					return;
				},
			};
			sp_io::offchain::set_authorized_nodes(Self::peers_of(&local), true);
			if !was_restricted {
				restricted.set(&true);
			}
		}

		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "a chain needs at least one validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get());
			assert!(!T::SessionPeriod::get().is_zero(), "sessions need a period");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validator set; Aura and GRANDPA follow two blocks later.
		///
		/// Origin: governance. `who` must have set its session keys (`session.setKeys`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(T::HasSessionKeys::contains(&who), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|set| {
				ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
				set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)
			})?;
			SetRotation::<T>::put(Rotation::Pending);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Removes `who` from the validator set; Aura and GRANDPA follow two blocks later.
		///
		/// Origin: governance. The set may not shrink below `MinValidators`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| {
				let at = set.iter().position(|v| *v == who).ok_or(Error::<T>::NotValidator)?;
				ensure!(set.len() > T::MinValidators::get() as usize, Error::<T>::TooFewValidators);
				set.remove(at);
				Ok::<_, Error<T>>(())
			})?;
			SetRotation::<T>::put(Rotation::Pending);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}

		/// Allows `node` on the network, run by member `owner`.
		///
		/// Origin: governance. Once the list is not empty, only listed nodes take part: the
		/// first motion must list every validator's node at once (`utility.batchAll`), or the
		/// validators left out are cut off and finality may stall.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::authorize_node())]
		pub fn authorize_node(
			origin: OriginFor<T>,
			node: NodeId,
			owner: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Self::is_peer_id(&node), Error::<T>::InvalidNodeId);
			ensure!(!AuthorizedNodes::<T>::contains_key(&node), Error::<T>::NodeAlreadyAuthorized);
			ensure!(AuthorizedNodes::<T>::count() < T::MaxNodes::get(), Error::<T>::TooManyNodes);
			AuthorizedNodes::<T>::insert(&node, &owner);
			Self::deposit_event(Event::NodeAuthorized { node, owner });
			Ok(())
		}

		/// Takes `node` off the network: the others stop syncing with it at their next block.
		///
		/// Origin: governance. Remove its validator first: a validator without an authorised
		/// node is cut off. Revoking the last node opens the network to every peer again.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_node())]
		pub fn revoke_node(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			AuthorizedNodes::<T>::take(&node).ok_or(Error::<T>::NodeNotAuthorized)?;
			Self::deposit_event(Event::NodeRevoked { node });
			Ok(())
		}

		/// Sets the share of the council that must approve a motion.
		///
		/// Origin: governance (a council motion is judged by the threshold in force when it
		/// executes).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_approval_threshold())]
		pub fn set_approval_threshold(origin: OriginFor<T>, approval: Approval) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(approval.is_valid(), Error::<T>::InvalidApproval);
			ApprovalThreshold::<T>::put(approval);
			Self::deposit_event(Event::ApprovalThresholdSet { approval });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `ayes` of a council of `members` meet the approval threshold.
		pub fn approves(ayes: u32, members: u32) -> bool {
			members > 0 && ayes >= ApprovalThreshold::<T>::get().required(members).max(1)
		}

		/// The peers a node with peer id `local` syncs with: every other authorised node. An
		/// unlisted node gets the same list, so that it is refused by all of them until it is
		/// authorised, and then syncs without a restart (an empty list would cut it off for
		/// good: it could never import the block that authorises it).
		pub fn peers_of(local: &[u8]) -> Vec<OpaquePeerId> {
			AuthorizedNodes::<T>::iter_keys()
				.filter(|node| node.as_slice() != local)
				.map(|node| OpaquePeerId(node.into_inner()))
				.collect()
		}

		/// Whether `node` has the shape of a Substrate peer id: the identity multihash of an
		/// Ed25519 public key.
		pub fn is_peer_id(node: &[u8]) -> bool {
			node.len() == 38 && node.starts_with(&ED25519_PEER_ID_PREFIX)
		}
	}

	impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
		/// Queues the chosen set when it has changed since it was last queued.
		fn new_session(session: u32) -> Option<Vec<T::AccountId>> {
			match SetRotation::<T>::get() {
				Rotation::Pending => {
					SetRotation::<T>::put(Rotation::Queued);
					let validators = Validators::<T>::get().into_inner();
					Self::deposit_event(Event::ValidatorSetQueued {
						session,
						validators: validators.clone(),
					});
					Some(validators)
				},
				Rotation::Queued => {
					SetRotation::<T>::put(Rotation::Idle);
					None
				},
				Rotation::Idle => None,
			}
		}

		fn new_session_genesis(_session: u32) -> Option<Vec<T::AccountId>> {
			Some(Validators::<T>::get().into_inner()).filter(|set| !set.is_empty())
		}

		fn end_session(_session: u32) {}
		fn start_session(_session: u32) {}
	}

	impl<T: Config> pallet_session::ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
		/// At every period's end, and right away while a change of the set is under way.
		fn should_end_session(now: BlockNumberFor<T>) -> bool {
			SetRotation::<T>::get() != Rotation::Idle ||
				(!now.is_zero() && (now % T::SessionPeriod::get()).is_zero())
		}
	}

	impl<T: Config> frame_support::traits::EstimateNextSessionRotation<BlockNumberFor<T>>
		for Pallet<T>
	{
		fn average_session_length() -> BlockNumberFor<T> {
			T::SessionPeriod::get()
		}

		fn estimate_current_session_progress(
			now: BlockNumberFor<T>,
		) -> (Option<sp_runtime::Permill>, Weight) {
			let period = T::SessionPeriod::get();
			let progress = sp_runtime::Permill::from_rational(now % period, period);
			(Some(progress), T::DbWeight::get().reads(1))
		}

		fn estimate_next_session_rotation(
			now: BlockNumberFor<T>,
		) -> (Option<BlockNumberFor<T>>, Weight) {
			let next = if SetRotation::<T>::get() != Rotation::Idle {
				now + 1u32.into()
			} else {
				let period = T::SessionPeriod::get();
				now - now % period + period
			};
			(Some(next), T::DbWeight::get().reads(1))
		}
	}
}
