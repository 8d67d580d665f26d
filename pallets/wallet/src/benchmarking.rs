//! Benchmarks of the wallet's calls and of its transaction extension.

use super::*;
use consortia_primitives::verified_scheme;
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::DispatchInfo,
	pallet_prelude::TransactionSource,
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
};
use frame_system::RawOrigin;
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::traits::{
		AsSystemOriginSigner, DispatchTransaction, Dispatchable, StaticLookup,
	},
};

#[benchmarks(where
	T: Send + Sync,
	T::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_allowed_schemes() -> Result<(), BenchmarkError> {
		let origin =
			T::PolicyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let schemes = all_schemes();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, schemes.clone());

		assert_eq!(AllowedSchemes::<T>::get(), schemes);
		Ok(())
	}

	#[benchmark]
	fn freeze() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("frozen", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Lookup::unlookup(who.clone()));

		assert!(Pallet::<T>::is_frozen(&who));
		Ok(())
	}

	#[benchmark]
	fn unfreeze() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("frozen", 0, 0);
		Frozen::<T>::insert(&who, frame_system::Pallet::<T>::block_number());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Lookup::unlookup(who.clone()));

		assert!(!Pallet::<T>::is_frozen(&who));
		Ok(())
	}

	/// A transfer to a new account (the costlier case) with a memo of `m` bytes.
	#[benchmark]
	fn transfer_with_memo(m: Linear<0, { T::MaxMemoLen::get() }>) {
		let from: T::AccountId = whitelisted_caller();
		let to: T::AccountId = account("to", 0, 0);
		let ed = T::Currency::minimum_balance();
		let amount = ed * 100u32.into();
		T::Currency::set_balance(&from, amount * 10u32.into());
		let memo = BoundedVec::truncate_from(alloc::vec![b'm'; m as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(from), T::Lookup::unlookup(to.clone()), amount, memo);

		assert_eq!(T::Currency::balance(&to), amount);
	}

	/// The extension on a signed transaction: the policy and the frozen list read, and the
	/// transaction passes.
	#[benchmark]
	fn check_wallet_policy() -> Result<(), BenchmarkError> {
		let who: T::AccountId = whitelisted_caller();
		let call: T::RuntimeCall = frame_system::Call::remark { remark: alloc::vec![] }.into();
		let info = DispatchInfo::default();
		verified_scheme::record(Scheme::Sm2);

		#[block]
		{
			CheckWalletPolicy::<T>::new()
				.validate_only(
					RawOrigin::Signed(who).into(),
					&call,
					&info,
					0,
					TransactionSource::External,
					0,
				)
				.map_err(|_| BenchmarkError::Stop("the policy refused"))?;
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
