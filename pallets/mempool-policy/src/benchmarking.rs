//! Benchmarks of the calls and of the policy's share of transaction validation.

use super::*;
use crate::Pallet as MempoolPolicy;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::{DispatchClass, DispatchInfo, Pays, PostDispatchInfo},
	traits::EnsureOrigin,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_transaction_payment::OnChargeTransaction;
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::{
		generic::Era,
		traits::{
			AsSystemOriginSigner, AsTransactionAuthorizedOrigin, DispatchOriginOf,
			DispatchTransaction, Dispatchable, Saturating,
		},
		transaction_validity::TransactionSource,
		Weight,
	},
};

/// A remark's dispatch info and length, the shape of an ordinary small transaction.
fn remark<T: Config>() -> (T::RuntimeCall, DispatchInfo, usize)
where
	T::RuntimeCall: From<frame_system::Call<T>>,
{
	let call: T::RuntimeCall = frame_system::Call::remark { remark: vec![] }.into();
	let info = DispatchInfo {
		call_weight: Weight::from_parts(100_000_000, 0),
		extension_weight: Weight::zero(),
		class: DispatchClass::Normal,
		pays_fee: Pays::Yes,
	};
	(call, info, 150)
}

/// A sender that exists and can pay, under the score strategy (the one with most arithmetic).
fn funded_sender<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("sender", 0, 0);
	let fee_room = BalanceOf::<T>::from(u32::MAX);
	<T::OnChargeTransaction as OnChargeTransaction<T>>::endow_account(
		&who,
		<T::OnChargeTransaction as OnChargeTransaction<T>>::minimum_balance().saturating_add(fee_room),
	);
	ActivePolicy::<T>::mutate(|policy| policy.strategy = Strategy::Score);
	// The transactions are mortal from block 1; validating them reads that block's hash.
	frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::from(1u32), T::Hash::default());
	frame_system::Pallet::<T>::set_block_number(2u32.into());
	who
}

#[benchmarks(where
	T: Send + Sync,
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>
		+ From<frame_system::Call<T>>,
	DispatchOriginOf<T::RuntimeCall>:
		AsSystemOriginSigner<T::AccountId> + AsTransactionAuthorizedOrigin + Clone,
	BalanceOf<T>: Send + Sync + From<u32>,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::PolicyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut policy = ActivePolicy::<T>::get();
		policy.strategy = Strategy::Price;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy.clone());

		assert_eq!(ActivePolicy::<T>::get(), policy);
		Ok(())
	}

	#[benchmark]
	fn add_to_blacklist() -> Result<(), BenchmarkError> {
		let origin =
			T::PolicyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("listed", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Blacklist::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_from_blacklist() -> Result<(), BenchmarkError> {
		let origin =
			T::PolicyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("listed", 0, 0);
		Blacklist::<T>::insert(&who, ());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Blacklist::<T>::contains_key(&who));
		Ok(())
	}

	/// What the policy adds to validating a signed transaction, the fee aside (the fee check
	/// computes it): the policy read, entry block, admission (blacklist and nonce reads) and
	/// priority.
	#[benchmark]
	fn check_policy() {
		let who = funded_sender::<T>();
		let (_, info, len) = remark::<T>();
		let ext = CheckMempoolPolicy::<T>::new(Era::mortal(64, 1), 0u32.into(), 0u32.into());
		let fee = ext.candidate(&info, len).fee;

		#[block]
		{
			let policy = ActivePolicy::<T>::get();
			assert!(policy.check_size(len as u32, false).is_ok());
			let candidate = ext.candidate_with_fee(&info, len, fee);
			assert!(MempoolPolicy::<T>::admit(&policy, &who, ext.nonce(), &candidate).is_ok());
			assert!(policy.priority(&candidate) > 0);
		}
	}

	/// The standard checks the policy wraps (mortality, nonce, weight, fee), validated on
	/// their own: not charged, measured to put `check_policy` in proportion.
	#[benchmark]
	fn policed_checks() {
		let who = funded_sender::<T>();
		let (call, info, len) = remark::<T>();
		let checks = CheckMempoolPolicy::<T>::new(Era::mortal(64, 1), 0u32.into(), 0u32.into()).0;

		#[block]
		{
			assert!(checks
				.validate_only(
					RawOrigin::Signed(who).into(),
					&call,
					&info,
					len,
					TransactionSource::External,
					0
				)
				.is_ok());
		}
	}

	impl_benchmark_test_suite!(MempoolPolicy, crate::mock::new_test_ext(), crate::mock::Test);
}
