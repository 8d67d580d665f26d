//! # Health
//!
//! Which member's validator stopped working, known from the chain itself (Chain33's health
//! module watches one node from outside; a consortium also needs every member to see the same
//! answer).
//!
//! Time is cut into **windows** of [`Config::HeartbeatInterval`] blocks (window `w` holds blocks
//! `w × interval ..< (w + 1) × interval`). In each window, the offchain worker of every
//! authority's node sends one [`Heartbeat`]: an unsigned transaction whose payload is signed with
//! the authority's own key, so it costs the validator no fee and nobody else can send it. The
//! runtime accepts a heartbeat only from a current authority, with a valid signature, for the
//! current window, and once per window; every other one is refused at the pool.
//!
//! When a window closes, each authority that sent no heartbeat in it counts one more miss; at
//! [`Config::OfflineThreshold`] misses in a row it is marked offline and
//! [`Event::AuthorityOffline`] is emitted. Its next heartbeat marks it online again, with
//! [`Event::AuthorityBackOnline`]. The pallet also counts the blocks each authority authored in
//! the current window, but authoring does not stand in for a heartbeat: the heartbeat proves the
//! whole node path (keystore, offchain worker, gossip) works, and a validator whose heartbeats
//! stop while it still authors has something to fix. It never slashes or removes anyone: what
//! to do is the consortium's call.
//!
//! The node reads the table through the [`runtime_api::HealthApi`] (`health_report`) or the
//! [`Liveness`] storage map.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod runtime_api;
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
use polkadot_sdk::{frame_support, frame_system, sp_io, sp_runtime};
use scale_info::TypeInfo;
use core::fmt::Debug;
use sp_runtime::transaction_validity::InvalidTransaction;

/// What an authority signs: "my node is alive in window `window`".
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug, MaxEncodedLen,
)]
pub struct Heartbeat<BlockNumber, AuthorityId> {
	/// The window the heartbeat is for: the block number divided by the heartbeat interval.
	pub window: BlockNumber,
	/// The sender, which must be in the current authority set.
	pub authority: AuthorityId,
}

/// Prefix of every signed heartbeat message, so that a heartbeat signature can never be taken
/// for a signature over anything else made with the same key (a block seal, a GRANDPA vote).
pub const HEARTBEAT_CONTEXT: &[u8] = b"consortia/health/heartbeat";

/// The bytes an authority signs for `heartbeat` on the chain with genesis hash `genesis`: the
/// context, the genesis hash (so a key shared by two chains cannot carry a heartbeat across)
/// and the payload, SCALE-encoded as a tuple.
pub fn heartbeat_message<Hash: Encode, BlockNumber: Encode, AuthorityId: Encode>(
	genesis: &Hash,
	heartbeat: &Heartbeat<BlockNumber, AuthorityId>,
) -> Vec<u8> {
	(HEARTBEAT_CONTEXT, genesis, heartbeat).encode()
}

/// One authority's liveness, as the chain records it.
#[derive(
	Clone, PartialEq, Eq, Default, Encode, Decode, TypeInfo, Debug, MaxEncodedLen,
)]
pub struct Record<BlockNumber> {
	/// The block in which its last heartbeat landed.
	pub last_heartbeat: Option<BlockNumber>,
	/// Windows in a row that closed without a heartbeat from it.
	pub missed: u32,
	/// Marked offline: `missed` reached the threshold and no heartbeat has come since.
	pub offline: bool,
	/// Blocks it authored in the current window.
	pub authored: u32,
}

/// One row of [`HealthReport`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AuthorityHealth<AuthorityId, BlockNumber> {
	pub authority: AuthorityId,
	/// Not marked offline.
	pub online: bool,
	/// It has sent its heartbeat for the current window.
	pub heartbeat_in_window: bool,
	/// The block in which its last heartbeat landed.
	pub last_heartbeat: Option<BlockNumber>,
	/// Windows in a row that closed without a heartbeat from it.
	pub missed: u32,
	/// Blocks it authored in the current window.
	pub authored: u32,
}

/// The health table at a block: every current authority, in authority-set order.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct HealthReport<AuthorityId, BlockNumber> {
	/// The block the report describes.
	pub block: BlockNumber,
	/// The window that block is in, and the window's first block.
	pub window: BlockNumber,
	pub window_start: BlockNumber,
	/// [`Config::HeartbeatInterval`] and [`Config::OfflineThreshold`].
	pub heartbeat_interval: BlockNumber,
	pub offline_threshold: u32,
	pub authorities: Vec<AuthorityHealth<AuthorityId, BlockNumber>>,
}

consortia_primitives::refusals! {
	/// Why the pool refuses a heartbeat that is well formed and for the current window, as
	/// `InvalidTransaction::Custom(code)`. A heartbeat for an earlier window is refused as
	/// `Stale`, one for a later window as `Future`, and one with a wrong signature as `BadProof`.
	pub enum Refusal {
		/// The sender is not in the current authority set.
		NotAnAuthority = 110 => "NotAnAuthority",
		/// The sender's heartbeat for this window is already on chain.
		AlreadyReported = 111 => "AlreadyReported",
	}
}

/// Sets the scene for the benchmarks: the runtime decides where authorities and block authors
/// come from, so it says how to make them up.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AuthorityId, MaxAuthorities> {
	/// Makes `authorities` the current authority set.
	fn set_authorities(authorities: frame_support::BoundedVec<AuthorityId, MaxAuthorities>);
	/// Makes the current block's digest name `author` as its author.
	fn set_author(author: &AuthorityId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::FindAuthor};
	use frame_system::{
		offchain::{CreateBare, SubmitTransaction},
		pallet_prelude::*,
	};
	use sp_runtime::{
		offchain::storage::StorageValueRef,
		traits::{One, Saturating, UniqueSaturatedInto, Zero},
		RuntimeAppPublic,
	};

	/// The signature an authority key makes.
	pub type SignatureOf<T> = <<T as Config>::AuthorityId as RuntimeAppPublic>::Signature;
	/// The heartbeat payload of this runtime.
	pub type HeartbeatOf<T> = Heartbeat<BlockNumberFor<T>, <T as Config>::AuthorityId>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> + CreateBare<Call<Self>>
	{
		/// The key an authority signs heartbeats with (the runtime uses its Aura key, which
		/// every validator's keystore holds already).
		type AuthorityId: Member
			+ Parameter
			+ RuntimeAppPublic
			+ Ord
			+ MaybeSerializeDeserialize
			+ MaxEncodedLen;
		/// The largest authority set.
		type MaxAuthorities: Get<u32>;
		/// The current authority set: who must send heartbeats.
		type Authorities: Get<BoundedVec<Self::AuthorityId, Self::MaxAuthorities>>;
		/// Who authored the current block, from its digest.
		type FindAuthor: FindAuthor<Self::AuthorityId>;
		/// Blocks per heartbeat window.
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;
		/// Windows in a row without a heartbeat after which an authority is marked offline.
		#[pallet::constant]
		type OfflineThreshold: Get<u32>;
		/// Pool priority of heartbeats: they must not wait behind a flood of transfers, or a
		/// busy chain would report its own validators offline.
		#[pallet::constant]
		type HeartbeatPriority: Get<TransactionPriority>;
		/// Weights of the heartbeat and of the per-block bookkeeping.
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AuthorityId, Self::MaxAuthorities>;
	}

	/// Each authority's liveness. Records of authorities that left the set are dropped when the
	/// window closes.
	#[pallet::storage]
	pub type Liveness<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		T::AuthorityId,
		Record<BlockNumberFor<T>>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `authority` sent no heartbeat in the last `missed` windows; its last one landed in
		/// block `last_heartbeat` (never, if `None`).
		AuthorityOffline {
			authority: T::AuthorityId,
			missed: u32,
			last_heartbeat: Option<BlockNumberFor<T>>,
		},
		/// `authority`, marked offline, sent a heartbeat again.
		AuthorityBackOnline { authority: T::AuthorityId },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Closes the window that ended with the previous block, then counts this block's
		/// author.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let mut weight = T::WeightInfo::note_author();
			if !now.is_zero() && (now % T::HeartbeatInterval::get()).is_zero() {
				let (authorities, records) = Self::close_window(now);
				weight.saturating_accrue(T::WeightInfo::close_window(authorities, records));
			}
			Self::note_author();
			weight
		}

		/// Sends this node's heartbeats for the current window: once per window and key, again
		/// if one has not landed after a few blocks.
		fn offchain_worker(now: BlockNumberFor<T>) {
			if sp_io::offchain::is_validator() {
				Self::send_heartbeats(now);
			}
		}

		fn integrity_test() {
			// The offchain worker sends in every block of a window but its last.
			assert!(T::HeartbeatInterval::get() >= 2u32.into(), "HeartbeatInterval must be ≥ 2");
			assert!(T::OfflineThreshold::get() > 0, "OfflineThreshold must be > 0");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Records `heartbeat.authority` as alive in the current window, and back online if it
		/// was marked offline.
		///
		/// Only as an unsigned transaction that the pallet's validation accepted: from a
		/// current authority, signed with its key over [`HEARTBEAT_CONTEXT`], the genesis hash
		/// and the payload, for the current window, and the first for that window. Each
		/// authority's node sends it from its offchain worker; it pays no fee.
		#[pallet::call_index(0)]
		#[pallet::weight((
			T::WeightInfo::heartbeat(T::MaxAuthorities::get()),
			DispatchClass::Operational,
			Pays::No,
		))]
		pub fn heartbeat(
			origin: OriginFor<T>,
			heartbeat: HeartbeatOf<T>,
			// Checked in `validate_unsigned`, which also runs before dispatch in a block.
			_signature: SignatureOf<T>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let authority = heartbeat.authority;
			let was_offline = Liveness::<T>::mutate(&authority, |record| {
				record.last_heartbeat = Some(now);
				record.missed = 0;
				core::mem::take(&mut record.offline)
			});
			if was_offline {
				Self::deposit_event(Event::AuthorityBackOnline { authority });
			}
			Ok(())
		}
	}

	// `ValidateUnsigned` is deprecated in favour of `#[pallet::authorize]`, which needs
	// general (v5) extrinsics and the `AuthorizeCall` extension; polkadot.js signs v4, so the
	// chain stays on v4 and heartbeats stay bare transactions until it moves.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let Call::heartbeat { heartbeat, signature } = call else {
				return InvalidTransaction::Call.into();
			};
			let now = frame_system::Pallet::<T>::block_number();
			Self::check_heartbeat(heartbeat, signature, now)?;
			let window_end = heartbeat.window.saturating_add(One::one()) *
				T::HeartbeatInterval::get();
			ValidTransaction::with_tag_prefix("Health")
				.priority(T::HeartbeatPriority::get())
				.and_provides((heartbeat.window, heartbeat.authority.clone()))
				.longevity(window_end.saturating_sub(now).unique_saturated_into())
				.propagate(true)
				.build()
		}
	}

	/// Blocks an offchain worker waits for its heartbeat to land before sending it again.
	const RESEND_AFTER: u32 = 3;

	impl<T: Config> Pallet<T> {
		/// The window block `n` is in.
		pub fn window_of(n: BlockNumberFor<T>) -> BlockNumberFor<T> {
			n / T::HeartbeatInterval::get()
		}

		/// Whether `record` shows a heartbeat in `window`.
		fn beat_in(record: &Record<BlockNumberFor<T>>, window: BlockNumberFor<T>) -> bool {
			record.last_heartbeat.is_some_and(|at| Self::window_of(at) == window)
		}

		/// The bytes an authority signs for `heartbeat` on this chain ([`heartbeat_message`]).
		pub fn signed_message(heartbeat: &HeartbeatOf<T>) -> Vec<u8> {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			heartbeat_message(&genesis, heartbeat)
		}

		/// The pool's rules for a heartbeat validated at block `now`, cheapest first.
		pub fn check_heartbeat(
			heartbeat: &HeartbeatOf<T>,
			signature: &SignatureOf<T>,
			now: BlockNumberFor<T>,
		) -> Result<(), InvalidTransaction> {
			let window = Self::window_of(now);
			if heartbeat.window < window {
				return Err(InvalidTransaction::Stale);
			}
			if heartbeat.window > window {
				return Err(InvalidTransaction::Future);
			}
			if !T::Authorities::get().contains(&heartbeat.authority) {
				return Err(Refusal::NotAnAuthority.into());
			}
			if Self::beat_in(&Liveness::<T>::get(&heartbeat.authority), window) {
				return Err(Refusal::AlreadyReported.into());
			}
			if !heartbeat.authority.verify(&Self::signed_message(heartbeat), signature) {
				return Err(InvalidTransaction::BadProof);
			}
			Ok(())
		}

		/// Closes the window that block `now` follows: counts a miss for each authority without
		/// a heartbeat in it, marks offline those at the threshold, resets the authored-block
		/// counts, and drops records of authorities no longer in the set. Returns the number of
		/// authorities and of records before pruning, which its weight depends on.
		pub(crate) fn close_window(now: BlockNumberFor<T>) -> (u32, u32) {
			let authorities = T::Authorities::get();
			let records = Liveness::<T>::count();
			let closed = Self::window_of(now).saturating_sub(One::one());
			let gone: Vec<_> =
				Liveness::<T>::iter_keys().filter(|key| !authorities.contains(key)).collect();
			for key in gone {
				Liveness::<T>::remove(key);
			}
			let threshold = T::OfflineThreshold::get();
			for authority in &authorities {
				Liveness::<T>::mutate(authority, |record| {
					record.authored = 0;
					if Self::beat_in(record, closed) {
						record.missed = 0;
						return;
					}
					record.missed = record.missed.saturating_add(1);
					if !record.offline && record.missed >= threshold {
						record.offline = true;
						Self::deposit_event(Event::AuthorityOffline {
							authority: authority.clone(),
							missed: record.missed,
							last_heartbeat: record.last_heartbeat,
						});
					}
				});
			}
			(authorities.len() as u32, records)
		}

		/// Counts the current block for its author.
		pub(crate) fn note_author() {
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtime = digest.logs().iter().filter_map(|item| item.as_pre_runtime());
			if let Some(author) = T::FindAuthor::find_author(pre_runtime) {
				Liveness::<T>::mutate(author, |record| {
					record.authored = record.authored.saturating_add(1)
				});
			}
		}

		/// Signs and submits a heartbeat for each authority key in the local keystore that has
		/// none on chain for the current window, unless one was sent in the last
		/// [`RESEND_AFTER`] blocks. Nothing is sent at a window's last block: the heartbeat
		/// could only land in the next window, and peers a block behind would refuse it as
		/// made for the future.
		fn send_heartbeats(now: BlockNumberFor<T>) {
			let window = Self::window_of(now);
			if Self::window_of(now.saturating_add(One::one())) != window {
				return;
			}
			let authorities = T::Authorities::get();
			for authority in T::AuthorityId::all() {
				if !authorities.contains(&authority) ||
					Self::beat_in(&Liveness::<T>::get(&authority), window) ||
					!Self::claim_send(&authority, window, now)
				{
					continue;
				}
				let heartbeat = Heartbeat { window, authority };
				let Some(signature) = heartbeat.authority.sign(&Self::signed_message(&heartbeat))
				else {
					log::warn!(target: "runtime::health", "the keystore cannot sign with {:?}", heartbeat.authority);
					continue;
				};
				let call = Call::heartbeat { heartbeat, signature };
				let xt = T::create_bare(call.into());
				if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
					log::debug!(target: "runtime::health", "heartbeat for window {window:?} not accepted by the pool");
				}
			}
		}

		/// Records in the node's offchain storage that `authority` sends its heartbeat for
		/// `window` at block `now`; false if it already did so less than [`RESEND_AFTER`]
		/// blocks ago (the heartbeat may still be on its way to a block).
		fn claim_send(
			authority: &T::AuthorityId,
			window: BlockNumberFor<T>,
			now: BlockNumberFor<T>,
		) -> bool {
			let key = (b"consortia/health/sent", authority).encode();
			StorageValueRef::persistent(&key)
				.mutate(|sent: Result<Option<(BlockNumberFor<T>, BlockNumberFor<T>)>, _>| {
					match sent {
						Ok(Some((w, at)))
							if w == window && now < at.saturating_add(RESEND_AFTER.into()) =>
							Err(()),
						_ => Ok((window, now)),
					}
				})
				.is_ok()
		}

		/// The health table at the current block.
		pub fn report() -> HealthReport<T::AuthorityId, BlockNumberFor<T>> {
			let block = frame_system::Pallet::<T>::block_number();
			let window = Self::window_of(block);
			let authorities = T::Authorities::get()
				.into_iter()
				.map(|authority| {
					let record = Liveness::<T>::get(&authority);
					AuthorityHealth {
						online: !record.offline,
						heartbeat_in_window: Self::beat_in(&record, window),
						last_heartbeat: record.last_heartbeat,
						missed: record.missed,
						authored: record.authored,
						authority,
					}
				})
				.collect();
			HealthReport {
				block,
				window,
				window_start: window * T::HeartbeatInterval::get(),
				heartbeat_interval: T::HeartbeatInterval::get(),
				offline_threshold: T::OfflineThreshold::get(),
				authorities,
			}
		}
	}
}
