//! The transaction extension that puts the policy in front of the pool.

use crate::{ActivePolicy, BalanceOf, Candidate, Config, Pallet, Refusal, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::fmt;
use polkadot_sdk::{
	frame_support::dispatch::{DispatchClass, DispatchInfo, PostDispatchInfo},
	frame_system::{self, CheckMortality, CheckNonce, CheckWeight},
	pallet_transaction_payment::{self, ChargeTransactionPayment, Val as PaymentVal},
	sp_runtime::{
		generic::Era,
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, DispatchOriginOf, Dispatchable, Implication,
			PostDispatchInfoOf, TransactionExtension, TransactionExtensionMetadata,
			UniqueSaturatedInto, ValidateResult, Zero,
		},
		transaction_validity::{
			TransactionSource, TransactionValidity, TransactionValidityError,
		},
		DispatchResult, Weight,
	},
};
use scale_info::TypeInfo;

/// The standard checks the policy reads, in the order clients sign them: mortality (the entry
/// block), nonce (the sender's waiting count), weight, and fee payment (fee and tip).
pub type PolicedChecks<T> =
	(CheckMortality<T>, CheckNonce<T>, CheckWeight<T>, ChargeTransactionPayment<T>);

/// Applies the mempool policy to signed transactions: the size cap first, then the standard
/// [`PolicedChecks`], then the rest of admission (a refusal is `InvalidTransaction::Custom`
/// with a [`Refusal`] code) on the fee they computed, then the policy's priority in place of
/// theirs.
///
/// It wraps those checks rather than sitting beside them for two reasons: it needs their data
/// (era, nonce, tip), and the pool adds up the priorities of all extensions, so replacing the
/// fee check's tip-based priority is the only way the policy can be the sole source of order.
///
/// On the wire and in the metadata it is exactly the four checks it wraps: clients such as
/// polkadot.js sign for it without knowing it exists.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMempoolPolicy<T: Config + Send + Sync>(pub PolicedChecks<T>);

impl<T: Config + Send + Sync> CheckMempoolPolicy<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	BalanceOf<T>: Send + Sync,
{
	/// The checks of a transaction with the given era, nonce and tip.
	pub fn new(era: Era, nonce: T::Nonce, tip: BalanceOf<T>) -> Self {
		Self((
			CheckMortality::from(era),
			CheckNonce::from(nonce),
			CheckWeight::new(),
			ChargeTransactionPayment::from(tip),
		))
	}

	/// What the policy weighs of this transaction, given its dispatch info and length.
	pub fn candidate(&self, info: &DispatchInfo, len: usize) -> Candidate<BalanceOf<T>> {
		let fee = pallet_transaction_payment::Pallet::<T>::compute_fee(
			len.unique_saturated_into(),
			info,
			self.0 .3.tip(),
		);
		self.candidate_with_fee(info, len, fee)
	}

	/// The same when the fee (tip included) is already known.
	pub fn candidate_with_fee(
		&self,
		info: &DispatchInfo,
		len: usize,
		fee: BalanceOf<T>,
	) -> Candidate<BalanceOf<T>> {
		let era = self.0 .0 .0;
		let entry = (!era.is_immortal()).then(|| {
			let now: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			era.birth(now)
		});
		Candidate {
			len: len.unique_saturated_into(),
			fee,
			entry,
			operational: info.class == DispatchClass::Operational,
		}
	}

	/// The sender's nonce.
	pub fn nonce(&self) -> T::Nonce {
		self.0 .1 .0
	}
}

impl<T: Config + Send + Sync> fmt::Debug for CheckMempoolPolicy<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckMempoolPolicy({:?})", self.0)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckMempoolPolicy<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	DispatchOriginOf<T::RuntimeCall>: AsSystemOriginSigner<T::AccountId> + Clone,
	BalanceOf<T>: Send + Sync,
{
	// Never shown: `metadata` lists the wrapped checks under their own names.
	const IDENTIFIER: &'static str = "CheckMempoolPolicy";
	type Implicit = <PolicedChecks<T> as TransactionExtension<T::RuntimeCall>>::Implicit;
	type Val = <PolicedChecks<T> as TransactionExtension<T::RuntimeCall>>::Val;
	type Pre = <PolicedChecks<T> as TransactionExtension<T::RuntimeCall>>::Pre;

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	fn metadata() -> alloc::vec::Vec<TransactionExtensionMetadata> {
		PolicedChecks::<T>::metadata()
	}

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		self.0.weight(call).saturating_add(<T as Config>::WeightInfo::check_policy())
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		self_implicit: Self::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		// Unsigned and general transactions carry no fee or nonce to judge: the standard
		// checks alone decide.
		let Some(who) = origin.as_system_origin_signer().cloned() else {
			return self.0.validate(
				origin,
				call,
				info,
				len,
				self_implicit,
				inherited_implication,
				source,
			);
		};
		let policy = ActivePolicy::<T>::get();
		let refuse = |refusal: Refusal| TransactionValidityError::Invalid(refusal.into());
		policy
			.check_size(len.unique_saturated_into(), info.class == DispatchClass::Operational)
			.map_err(refuse)?;
		let (mut valid, val, origin) =
			self.0
				.validate(origin, call, info, len, self_implicit, inherited_implication, source)?;
		// The fee check has just computed the fee, tip included: the policy judges that one.
		let fee = match &val.3 {
			PaymentVal::Charge { fee_with_tip, .. } => *fee_with_tip,
			PaymentVal::NoCharge => Zero::zero(),
		};
		let tx = self.candidate_with_fee(info, len, fee);
		Pallet::<T>::admit(&policy, &who, self.nonce(), &tx).map_err(refuse)?;
		valid.priority = policy.priority(&tx);
		Ok((valid, val, origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		self.0.prepare(val, origin, call, info, len)
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		PolicedChecks::<T>::post_dispatch_details(pre, info, post_info, len, result)
	}

	fn post_dispatch(
		pre: Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		PolicedChecks::<T>::post_dispatch(pre, info, post_info, len, result)
	}

	fn bare_validate(
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> TransactionValidity {
		PolicedChecks::<T>::bare_validate(call, info, len)
	}

	fn bare_validate_and_prepare(
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<(), TransactionValidityError> {
		PolicedChecks::<T>::bare_validate_and_prepare(call, info, len)
	}

	fn bare_post_dispatch(
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		PolicedChecks::<T>::bare_post_dispatch(info, post_info, len, result)
	}
}
