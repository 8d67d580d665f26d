//! # Wallet
//!
//! The rules of Chain33's wallet module that belong on chain:
//!
//! * **Signature-scheme policy.** [`AllowedSchemes`] lists the schemes that may sign
//!   transactions: ed25519, sr25519, ecdsa (secp256k1) and SM2, all four by default. Governance
//!   changes it with [`Call::set_allowed_schemes`]; `[Sm2]` alone is the 国密-only mode that
//!   regulated consortiums need. A transaction signed with another scheme is refused, at the
//!   pool and in blocks, by [`CheckWalletPolicy`], with [`Refusal::SchemeDisabled`].
//! * **Freezing.** An admin origin freezes an account ([`Call::freeze`]): its transactions are
//!   refused with [`Refusal::AccountFrozen`] until [`Call::unfreeze`]. Funds may still be sent
//!   to it. Freezing the key that governance itself signs with (sudo) locks that key out too;
//!   the council can still unfreeze it.
//! * **Transfers with a memo**, Chain33's note: [`Call::transfer_with_memo`] moves funds like
//!   `balances.transferKeepAlive` and records the memo in its event, not in storage.
//!
//! Refusals reach the submitter as `InvalidTransaction::Custom(code)`, JSON-RPC error 1010 with
//! data `"Custom error: <code>"`; see [`Refusal`] for the codes.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod extension;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use consortia_primitives::Scheme;
pub use extension::CheckWalletPolicy;
pub use pallet::*;
pub use weights::WeightInfo;

use polkadot_sdk::{
	frame_support::{self, traits::ConstU32, BoundedVec},
	frame_system,
};

/// A set of signature schemes: sorted, without repeats.
pub type SchemeSet = BoundedVec<Scheme, ConstU32<4>>;

/// Every scheme: the default policy.
pub fn all_schemes() -> SchemeSet {
	SchemeSet::truncate_from(Scheme::ALL.to_vec())
}

consortia_primitives::refusals! {
	/// Why the wallet policy refuses a transaction, as the code of `InvalidTransaction::Custom`.
	/// The codes are part of the chain's interface and never change meaning; each pallet has its
	/// own range (mempool policy 100s, health 110s, wallet 120s), which the runtime tests check.
	pub enum Refusal {
		/// The transaction is signed with a scheme [`AllowedSchemes`] does not list.
		SchemeDisabled = 120 => "SignatureSchemeDisabled",
		/// The sender is frozen.
		AccountFrozen = 121 => "AccountFrozen",
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::Preservation,
		},
	};
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::traits::StaticLookup;

	pub(crate) type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency `transfer_with_memo` moves.
		type Currency: Mutate<Self::AccountId>;
		/// Who may change the allowed signature schemes.
		type PolicyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may freeze and unfreeze accounts.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The longest memo a transfer may carry, in bytes.
		#[pallet::constant]
		type MaxMemoLen: Get<u32>;
		type WeightInfo: WeightInfo;
	}

	/// The schemes that may sign transactions.
	#[pallet::storage]
	pub type AllowedSchemes<T> = StorageValue<_, SchemeSet, ValueQuery, AllSchemes>;

	/// The default of [`AllowedSchemes`]: every scheme.
	pub struct AllSchemes;
	impl Get<SchemeSet> for AllSchemes {
		fn get() -> SchemeSet {
			all_schemes()
		}
	}

	/// Frozen accounts, with the block they were frozen at.
	#[pallet::storage]
	pub type Frozen<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The schemes allowed from genesis; empty means all of them.
		pub allowed_schemes: Vec<Scheme>,
		/// Accounts frozen from genesis.
		pub frozen: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if !self.allowed_schemes.is_empty() {
				AllowedSchemes::<T>::put(normalize(self.allowed_schemes.clone()));
			}
			for who in &self.frozen {
				Frozen::<T>::insert(who, BlockNumberFor::<T>::zero());
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Only `schemes` may sign transactions from now on.
		SchemesSet { schemes: SchemeSet },
		/// `who`'s transactions are refused until it is unfrozen.
		AccountFrozen { who: T::AccountId },
		/// `who` may send transactions again.
		AccountUnfrozen { who: T::AccountId },
		/// `from` sent `amount` to `to` with `memo`.
		Transfer {
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			memo: BoundedVec<u8, T::MaxMemoLen>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The policy must allow at least one scheme, or no one could sign again.
		NoSchemeAllowed,
		/// The account is frozen already.
		AlreadyFrozen,
		/// The account is not frozen.
		NotFrozen,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Allows only `schemes` to sign transactions (order and repeats do not matter).
		/// Transactions waiting in pools under a scheme no longer allowed are dropped when the
		/// pool revalidates them.
		///
		/// Origin: `PolicyOrigin` (governance).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_allowed_schemes())]
		pub fn set_allowed_schemes(origin: OriginFor<T>, schemes: SchemeSet) -> DispatchResult {
			T::PolicyOrigin::ensure_origin(origin)?;
			ensure!(!schemes.is_empty(), Error::<T>::NoSchemeAllowed);
			let schemes = normalize(schemes.into_inner());
			AllowedSchemes::<T>::put(&schemes);
			Self::deposit_event(Event::SchemesSet { schemes });
			Ok(())
		}

		/// Freezes `who`: its transactions are refused until it is unfrozen.
		///
		/// Origin: `AdminOrigin`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::freeze())]
		pub fn freeze(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			ensure!(!Frozen::<T>::contains_key(&who), Error::<T>::AlreadyFrozen);
			Frozen::<T>::insert(&who, frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::AccountFrozen { who });
			Ok(())
		}

		/// Unfreezes `who`.
		///
		/// Origin: `AdminOrigin`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unfreeze())]
		pub fn unfreeze(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Frozen::<T>::take(&who).ok_or(Error::<T>::NotFrozen)?;
			Self::deposit_event(Event::AccountUnfrozen { who });
			Ok(())
		}

		/// Sends `amount` to `dest` with a memo of at most `MaxMemoLen` bytes, which the
		/// `Transfer` event records. Like `balances.transferKeepAlive`, it cannot take the
		/// sender below the existential deposit.
		///
		/// Origin: any signed account.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::transfer_with_memo(memo.len() as u32))]
		pub fn transfer_with_memo(
			origin: OriginFor<T>,
			dest: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			memo: BoundedVec<u8, T::MaxMemoLen>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			let to = T::Lookup::lookup(dest)?;
			T::Currency::transfer(&from, &to, amount, Preservation::Preserve)?;
			Self::deposit_event(Event::Transfer { from, to, amount, memo });
			Ok(())
		}
	}

	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	impl<T: Config> Pallet<T> {
		/// Whether `scheme` may sign transactions.
		pub fn allows(scheme: Scheme) -> bool {
			AllowedSchemes::<T>::get().contains(&scheme)
		}

		/// Whether `who` is frozen.
		pub fn is_frozen(who: &T::AccountId) -> bool {
			Frozen::<T>::contains_key(who)
		}
	}

	/// Sorts and removes repeats: the stored form of a set.
	fn normalize(mut schemes: Vec<Scheme>) -> SchemeSet {
		schemes.sort();
		schemes.dedup();
		SchemeSet::truncate_from(schemes)
	}
}
