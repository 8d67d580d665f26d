//! # Mempool policy
//!
//! Chain33 lets an operator choose how its mempool orders and admits transactions. Substrate's
//! pool orders ready transactions by the priority the runtime returns when it validates them, so
//! here the policy lives on chain: every node applies the same rules, and governance changes
//! them without a restart (the next validation uses the new policy).
//!
//! - **Ordering** ([`Strategy`]): `Timeline` (first come, first served), `Price` (fee per byte)
//!   or `Score` (Chain33's `priceConstant × fee per byte × pricePower − timeParam × entry`).
//! - **Admission** ([`Refusal`]): size cap, fee floor per started kB, fee ceiling, sender
//!   blacklist and a cap on each sender's waiting transactions, each refused with its own code.
//!
//! [`CheckMempoolPolicy`] applies both. It wraps the mortality, nonce, weight and fee checks it
//! needs to read, and is the only source of priority: the fee check's own tip-based priority is
//! replaced, so `Timeline` really ignores tips.
//!
//! ## Calls
//! All three are for [`Config::PolicyOrigin`] (root on a dev chain, the council on a
//! consortium) and are `Operational`, so a policy set too strictly can always be repaired.
//! - `set_policy`: replace the whole policy.
//! - `add_to_blacklist` / `remove_from_blacklist`: refuse or re-admit a sender's transactions.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod extension;
mod policy;
pub mod runtime_api;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{CheckMempoolPolicy, PolicedChecks};
pub use pallet::*;
pub use policy::{
	Candidate, Policy, Refusal, ScoreParams, Strategy, IMMORTAL_ENTRY, OPERATIONAL_PRIORITY,
	SUGGESTION_SAMPLE, TIMELINE_PRIORITY,
};
pub use weights::WeightInfo;

use polkadot_sdk::{frame_support, frame_system, pallet_transaction_payment};

/// The balance type fees are paid in.
pub type BalanceOf<T> = <<T as pallet_transaction_payment::Config>::OnChargeTransaction as
	pallet_transaction_payment::OnChargeTransaction<T>>::Balance;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::{
		traits::UniqueSaturatedInto,
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_transaction_payment::Config
	{
		/// Who may change the policy and the blacklist.
		type PolicyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The policy in force until genesis or governance sets another.
		type DefaultPolicy: Get<Policy<BalanceOf<Self>>>;
		/// Weights of the calls and of the policy's share of transaction validation.
		type WeightInfo: WeightInfo;
	}

	/// The policy in force.
	#[pallet::storage]
	pub type ActivePolicy<T: Config> =
		StorageValue<_, Policy<BalanceOf<T>>, ValueQuery, T::DefaultPolicy>;

	/// Senders whose transactions the pool refuses.
	#[pallet::storage]
	pub type Blacklist<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial policy; `None` keeps [`Config::DefaultPolicy`].
		pub policy: Option<Policy<BalanceOf<T>>>,
		/// Senders refused from the start.
		pub blacklist: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(policy) = &self.policy {
				if let Err(e) = Pallet::<T>::ensure_workable(policy) {
					panic!("genesis mempool policy: {:?}", e);
				}
				ActivePolicy::<T>::put(policy);
			}
			for who in &self.blacklist {
				Blacklist::<T>::insert(who, ());
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new policy is in force from the next validation on.
		PolicyChanged { policy: Policy<BalanceOf<T>> },
		/// The pool refuses this sender's transactions from now on.
		SenderBlacklisted { who: T::AccountId },
		/// The pool admits this sender's transactions again.
		SenderUnblacklisted { who: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// `max_pending_per_account` is zero: nobody could send anything.
		NoPendingAllowed,
		/// `max_tx_size` is below the smallest useful transaction (`MIN_TX_SIZE` bytes).
		SizeCapTooSmall,
		/// `max_fee` is below the floor of a transaction of `max_tx_size` bytes, so some
		/// admissible sizes could never pay an admissible fee.
		CeilingBelowFloor,
		/// The sender is already on the blacklist.
		AlreadyBlacklisted,
		/// The sender is not on the blacklist.
		NotBlacklisted,
	}

	/// The smallest `max_tx_size` governance may set: a signed transfer is about 150 bytes.
	pub const MIN_TX_SIZE: u32 = 512;

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Replaces the whole policy: strategy, score weights and admission limits. Transactions
		/// already waiting are re-ordered as the pool re-validates them.
		///
		/// Origin: [`Config::PolicyOrigin`].
		#[pallet::call_index(0)]
		#[pallet::weight((<T as Config>::WeightInfo::set_policy(), DispatchClass::Operational))]
		pub fn set_policy(origin: OriginFor<T>, policy: Policy<BalanceOf<T>>) -> DispatchResult {
			T::PolicyOrigin::ensure_origin(origin)?;
			Self::ensure_workable(&policy)?;
			ActivePolicy::<T>::put(&policy);
			Self::deposit_event(Event::PolicyChanged { policy });
			Ok(())
		}

		/// Refuses `who`'s transactions at the pool from now on (Chain33's blacklist). What is
		/// already waiting drops out when the pool re-validates it.
		///
		/// Origin: [`Config::PolicyOrigin`].
		#[pallet::call_index(1)]
		#[pallet::weight((<T as Config>::WeightInfo::add_to_blacklist(), DispatchClass::Operational))]
		pub fn add_to_blacklist(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::PolicyOrigin::ensure_origin(origin)?;
			ensure!(!Blacklist::<T>::contains_key(&who), Error::<T>::AlreadyBlacklisted);
			Blacklist::<T>::insert(&who, ());
			Self::deposit_event(Event::SenderBlacklisted { who });
			Ok(())
		}

		/// Admits `who`'s transactions again.
		///
		/// Origin: [`Config::PolicyOrigin`].
		#[pallet::call_index(2)]
		#[pallet::weight((<T as Config>::WeightInfo::remove_from_blacklist(), DispatchClass::Operational))]
		pub fn remove_from_blacklist(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::PolicyOrigin::ensure_origin(origin)?;
			ensure!(Blacklist::<T>::take(&who).is_some(), Error::<T>::NotBlacklisted);
			Self::deposit_event(Event::SenderUnblacklisted { who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Refuses a policy under which some transactions could never be admitted.
		pub fn ensure_workable(policy: &Policy<BalanceOf<T>>) -> Result<(), Error<T>> {
			ensure!(policy.max_pending_per_account > 0, Error::<T>::NoPendingAllowed);
			ensure!(policy.max_tx_size >= MIN_TX_SIZE, Error::<T>::SizeCapTooSmall);
			ensure!(
				policy.max_fee >= policy.fee_floor(policy.max_tx_size),
				Error::<T>::CeilingBelowFloor
			);
			Ok(())
		}

		/// Applies the admission rules that follow the size cap to a transaction from `who` with
		/// `nonce`, in Chain33's order: floor, ceiling, blacklist, waiting count.
		pub fn admit(
			policy: &Policy<BalanceOf<T>>,
			who: &T::AccountId,
			nonce: T::Nonce,
			tx: &Candidate<BalanceOf<T>>,
		) -> Result<(), Refusal> {
			policy.check_fee(tx)?;
			if Blacklist::<T>::contains_key(who) {
				return Err(Refusal::SenderBlacklisted);
			}
			let account_nonce = frame_system::Pallet::<T>::account_nonce(who);
			policy.check_pending(nonce.unique_saturated_into(), account_nonce.unique_saturated_into())
		}

		/// The fee to offer for a transaction of `len` bytes, given the best waiting
		/// transactions in pool order (see [`Policy::suggested_fee`]).
		pub fn suggested_fee(len: u32, best: &[Candidate<BalanceOf<T>>]) -> BalanceOf<T> {
			let now: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			ActivePolicy::<T>::get().suggested_fee(len, now, best)
		}
	}
}
