//! Benchmarks of the governance calls, each at the largest sizes it can meet.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use polkadot_sdk::frame_benchmarking;

/// Makes `count` fresh accounts the chosen validator set.
fn fill_validators<T: Config>(count: u32) {
	let set: Vec<T::AccountId> = (0..count).map(|i| account("validator", i, 0)).collect();
	Validators::<T>::put(BoundedVec::truncate_from(set));
}

/// An Ed25519 peer id, distinct for each `i`.
fn node_id(i: u32) -> NodeId {
	let mut id = ED25519_PEER_ID_PREFIX.to_vec();
	id.extend(i.to_le_bytes());
	id.resize(38, 0);
	NodeId::truncate_from(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Adding to a set of `v` validators (the membership check scans it).
	#[benchmark]
	fn add_validator(v: Linear<1, { T::MaxValidators::get() - 1 }>) -> Result<(), BenchmarkError> {
		fill_validators::<T>(v);
		let who: T::AccountId = account("joiner", 0, 0);
		T::BenchmarkHelper::register_session_keys(&who);
		let origin = T::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	/// Removing the last of `v` validators.
	#[benchmark]
	fn remove_validator(
		v: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		fill_validators::<T>(v);
		let who: T::AccountId = account("validator", v - 1, 0);
		let origin = T::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn authorize_node() -> Result<(), BenchmarkError> {
		let _ = AuthorizedNodes::<T>::clear(u32::MAX, None);
		for i in 0..T::MaxNodes::get() - 1 {
			AuthorizedNodes::<T>::insert(node_id(i), account::<T::AccountId>("owner", i, 0));
		}
		let node = node_id(u32::MAX);
		let origin = T::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), account("owner", u32::MAX, 0));

		assert!(AuthorizedNodes::<T>::contains_key(&node));
		Ok(())
	}

	#[benchmark]
	fn revoke_node() -> Result<(), BenchmarkError> {
		let node = node_id(0);
		AuthorizedNodes::<T>::insert(&node, account::<T::AccountId>("owner", 0, 0));
		let origin = T::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone());

		assert!(!AuthorizedNodes::<T>::contains_key(&node));
		Ok(())
	}

	#[benchmark]
	fn set_approval_threshold() -> Result<(), BenchmarkError> {
		let approval = Approval { numerator: 3, denominator: 4 };
		let origin = T::GovernanceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, approval);

		assert_eq!(ApprovalThreshold::<T>::get(), approval);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
