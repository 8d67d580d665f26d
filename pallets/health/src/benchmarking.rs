//! Benchmarks of a heartbeat (its validation, signature check included, and dispatch) and of
//! the per-block bookkeeping (counting the author, closing a window).

// `ValidateUnsigned`: see the pallet's `validate_unsigned`.
#![allow(deprecated)]

use super::*;
use crate::Pallet as Health;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::{TransactionSource, ValidateUnsigned},
	traits::{Get, UnfilteredDispatchable},
	BoundedVec,
};
use frame_system::RawOrigin;
use polkadot_sdk::{frame_benchmarking, sp_runtime::RuntimeAppPublic};

/// Makes `a` fresh keys the authority set.
fn authorities<T: Config>(a: u32) -> Vec<T::AuthorityId> {
	let keys: Vec<T::AuthorityId> = (0..a).map(|_| T::AuthorityId::generate_pair(None)).collect();
	T::BenchmarkHelper::set_authorities(BoundedVec::truncate_from(keys.clone()));
	keys
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A heartbeat from the last of `a` authorities (membership is a scan of the set), which
	/// was marked offline, so the dispatch also brings it back with an event.
	#[benchmark]
	fn heartbeat(a: Linear<1, { T::MaxAuthorities::get() }>) -> Result<(), BenchmarkError> {
		let keys = authorities::<T>(a);
		let authority = keys.last().expect("a ≥ 1").clone();
		let now = T::HeartbeatInterval::get();
		frame_system::Pallet::<T>::set_block_number(now);
		let payload = Heartbeat { window: Health::<T>::window_of(now), authority: authority.clone() };
		let signature = authority
			.sign(&Health::<T>::signed_message(&payload))
			.ok_or("the benchmark keystore cannot sign")?;
		Liveness::<T>::insert(
			&authority,
			Record { offline: true, missed: T::OfflineThreshold::get(), ..Default::default() },
		);
		let call = Call::<T>::heartbeat { heartbeat: payload, signature };

		#[block]
		{
			Health::<T>::validate_unsigned(TransactionSource::External, &call)
				.map_err(|_| "the heartbeat is refused")?;
			call.dispatch_bypass_filter(RawOrigin::None.into())?;
		}

		assert!(!Liveness::<T>::get(&authority).offline);
		Ok(())
	}

	/// Finding the block's author among the largest authority set and counting the block.
	#[benchmark]
	fn note_author() {
		let keys = authorities::<T>(T::MaxAuthorities::get());
		let author = keys.last().expect("MaxAuthorities ≥ 1");
		T::BenchmarkHelper::set_author(author);

		#[block]
		{
			Health::<T>::note_author();
		}

		assert_eq!(Liveness::<T>::get(author).authored, 1);
	}

	/// Closing a window: `a` authorities, none of which sent a heartbeat and each one miss
	/// from the threshold (so each goes offline with an event), and `r` records of
	/// authorities that have left the set (each dropped).
	#[benchmark]
	fn close_window(
		a: Linear<1, { T::MaxAuthorities::get() }>,
		r: Linear<0, { T::MaxAuthorities::get() }>,
	) {
		let keys = authorities::<T>(a);
		let edge = Record {
			missed: T::OfflineThreshold::get() - 1,
			authored: 1,
			..Default::default()
		};
		for key in &keys {
			Liveness::<T>::insert(key, edge.clone());
		}
		for _ in 0..r {
			Liveness::<T>::insert(T::AuthorityId::generate_pair(None), Record::default());
		}
		let now = T::HeartbeatInterval::get();

		#[block]
		{
			Health::<T>::close_window(now);
		}

		assert_eq!(Liveness::<T>::count(), a);
		assert!(keys.iter().all(|key| Liveness::<T>::get(key).offline));
	}

	impl_benchmark_test_suite!(Health, crate::mock::new_test_ext(), crate::mock::Test);
}
