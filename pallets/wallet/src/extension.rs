//! The transaction extension that applies the wallet policy to signed transactions.

use crate::{Config, Pallet, Refusal, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use consortia_primitives::verified_scheme;
use core::{fmt, marker::PhantomData};
use polkadot_sdk::{
	frame_support::pallet_prelude::TransactionSource,
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, DispatchOriginOf, Implication,
			TransactionExtension, ValidateResult,
		},
		transaction_validity::{TransactionValidityError, ValidTransaction},
		Weight,
	},
};
use scale_info::TypeInfo;

/// Refuses a signed transaction whose signature scheme the policy does not allow
/// ([`Refusal::SchemeDisabled`]) or whose sender is frozen ([`Refusal::AccountFrozen`]).
///
/// The scheme comes from [`verified_scheme`]: the runtime's signature type records it when it
/// verifies the transaction, just before the extensions run. A signed transaction with no
/// recorded scheme was not verified by that type, and is refused as a scheme not allowed.
///
/// It adds nothing to the transaction or its signed payload: clients that do not know it
/// (polkadot.js warns, then signs as usual) are unaffected.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckWalletPolicy<T>(PhantomData<T>);

impl<T> CheckWalletPolicy<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for CheckWalletPolicy<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> fmt::Debug for CheckWalletPolicy<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckWalletPolicy")
	}
}

impl<T: Config + Send + Sync> CheckWalletPolicy<T> {
	/// The policy's verdict on a transaction from `who` whose signature verified under
	/// `scheme`.
	pub fn check(who: &T::AccountId, scheme: Option<crate::Scheme>) -> Result<(), Refusal> {
		if !scheme.is_some_and(Pallet::<T>::allows) {
			return Err(Refusal::SchemeDisabled);
		}
		if Pallet::<T>::is_frozen(who) {
			return Err(Refusal::AccountFrozen);
		}
		Ok(())
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckWalletPolicy<T>
where
	DispatchOriginOf<T::RuntimeCall>: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckWalletPolicy";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		<T as Config>::WeightInfo::check_wallet_policy()
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<T::RuntimeCall>,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: (),
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<(), T::RuntimeCall> {
		// Taken for signed and unsigned origins alike (bare transactions never get here), so
		// that no record outlives the transaction it is for.
		let scheme = verified_scheme::take();
		if let Some(who) = origin.as_system_origin_signer() {
			Self::check(who, scheme)
				.map_err(|refusal| TransactionValidityError::Invalid(refusal.into()))?;
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	fn prepare(
		self,
		_val: (),
		_origin: &DispatchOriginOf<T::RuntimeCall>,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<(), TransactionValidityError> {
		Ok(())
	}
}
