//! The pallet's rules: who may send a heartbeat and when, and when authorities go offline and
//! come back.

// `ValidateUnsigned`: see the pallet's `validate_unsigned`.
#![allow(deprecated)]

use crate::{mock::*, Event, Heartbeat, HeartbeatOf, Liveness, Record, Refusal};
use codec::Decode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		pallet_prelude::{TransactionSource, ValidateUnsigned},
		traits::Hooks,
	},
	sp_core::offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	sp_runtime::{
		generic::Preamble,
		testing::{TestSignature, UintAuthorityId},
		traits::Dispatchable,
		transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
		DispatchError, RuntimeAppPublic,
	},
};

type Health = crate::Pallet<Test>;

/// Authority `id`'s heartbeat for `window`, signed by `signer`.
fn heartbeat_signed_by(id: u64, window: u64, signer: u64) -> (HeartbeatOf<Test>, TestSignature) {
	let heartbeat = Heartbeat { window, authority: UintAuthorityId(id) };
	let signature = UintAuthorityId(signer)
		.sign(&Health::signed_message(&heartbeat))
		.expect("test keys always sign");
	(heartbeat, signature)
}

fn call(heartbeat: HeartbeatOf<Test>, signature: TestSignature) -> crate::Call<Test> {
	crate::Call::heartbeat { heartbeat, signature }
}

/// Validates the call as the pool does, then applies it as a block does: validation again
/// (`pre_dispatch`), then dispatch.
fn submit(call: crate::Call<Test>) -> Result<ValidTransaction, TransactionValidityError> {
	let valid = Health::validate_unsigned(TransactionSource::External, &call)?;
	Health::pre_dispatch(&call)?;
	assert_ok!(RuntimeCall::from(call).dispatch(RuntimeOrigin::none()));
	Ok(valid)
}

/// Authority `id`'s own heartbeat for the current window.
fn beat(id: u64) -> Result<ValidTransaction, TransactionValidityError> {
	let window = Health::window_of(System::block_number());
	let (heartbeat, signature) = heartbeat_signed_by(id, window, id);
	submit(call(heartbeat, signature))
}

fn refused(reason: impl Into<InvalidTransaction>) -> Result<ValidTransaction, TransactionValidityError> {
	Err(TransactionValidityError::Invalid(reason.into()))
}

fn record(id: u64) -> Record<u64> {
	Liveness::<Test>::get(UintAuthorityId(id))
}

fn health_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Health(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Every authority but `silent` beats once in each window up to block `n`; returns the
/// pallet's events with their blocks.
fn run_with_beats_to(n: u64, silent: &[u64]) -> Vec<(u64, Event<Test>)> {
	let mut events = Vec::new();
	while System::block_number() < n {
		events.extend(run_to_block(System::block_number() + 1));
		let window = Health::window_of(System::block_number());
		for id in AuthorityIds::get() {
			if !silent.contains(&id) && Liveness::<Test>::get(UintAuthorityId(id)).last_heartbeat.map(Health::window_of) != Some(window) {
				assert_ok!(beat(id));
			}
		}
	}
	events
}

#[test]
fn a_current_authority_s_heartbeat_is_recorded() {
	new_test_ext().execute_with(|| {
		run_to_block(3);
		let valid = beat(1).expect("authority 1 may send its heartbeat");
		assert_eq!(valid.priority, PRIORITY);
		// Valid until window 0 ends at block 5: two more blocks (3 and 4).
		assert_eq!(valid.longevity, 2);
		assert!(valid.propagate);
		assert_eq!(record(1).last_heartbeat, Some(3));

		let report = Health::report();
		assert_eq!((report.block, report.window, report.window_start), (3, 0, 0));
		let row = &report.authorities[0];
		assert_eq!(row.authority, UintAuthorityId(1));
		assert!(row.online && row.heartbeat_in_window);
		assert!(!report.authorities[1].heartbeat_in_window);
	});
}

#[test]
fn one_heartbeat_per_authority_per_window() {
	new_test_ext().execute_with(|| {
		run_to_block(1);
		assert_ok!(beat(1));
		run_to_block(4);
		assert_eq!(beat(1), refused(Refusal::AlreadyReported));
		// Each authority has its own heartbeat for the window.
		assert_ok!(beat(2));
		// The next window takes a new one.
		run_to_block(5);
		assert_ok!(beat(1));
		assert_eq!(record(1).last_heartbeat, Some(5));
	});
}

#[test]
fn the_pool_tags_heartbeats_per_window_and_authority() {
	new_test_ext().execute_with(|| {
		run_to_block(1);
		let (heartbeat, signature) = heartbeat_signed_by(1, 0, 1);
		let valid = Health::validate_unsigned(TransactionSource::External, &call(heartbeat, signature)).unwrap();
		let (heartbeat, signature) = heartbeat_signed_by(2, 0, 2);
		let other = Health::validate_unsigned(TransactionSource::External, &call(heartbeat, signature)).unwrap();
		assert_eq!(valid.provides.len(), 1);
		assert_ne!(valid.provides, other.provides);
		assert!(valid.requires.is_empty());
	});
}

#[test]
fn a_non_authority_is_refused_even_with_its_own_valid_signature() {
	new_test_ext().execute_with(|| {
		run_to_block(2);
		assert_eq!(beat(9), refused(Refusal::NotAnAuthority));
		assert!(!Liveness::<Test>::contains_key(UintAuthorityId(9)), "nothing recorded for 9");
	});
}

#[test]
fn a_forged_heartbeat_is_refused() {
	new_test_ext().execute_with(|| {
		run_to_block(2);
		// Authority 2 signs a heartbeat in authority 1's name.
		let (heartbeat, signature) = heartbeat_signed_by(1, 0, 2);
		assert_eq!(submit(call(heartbeat, signature)), refused(InvalidTransaction::BadProof));
		// Authority 1's signature, over another window's payload.
		let (_, signature) = heartbeat_signed_by(1, 1, 1);
		let (heartbeat, _) = heartbeat_signed_by(1, 0, 1);
		assert_eq!(submit(call(heartbeat, signature)), refused(InvalidTransaction::BadProof));
		// Authority 1's signature over the payload alone, without the context and genesis hash.
		let heartbeat = Heartbeat { window: 0, authority: UintAuthorityId(1) };
		let bare = UintAuthorityId(1).sign(&codec::Encode::encode(&heartbeat)).unwrap();
		assert_eq!(submit(call(heartbeat, bare)), refused(InvalidTransaction::BadProof));
		assert_eq!(record(1).last_heartbeat, None);
	});
}

#[test]
fn stale_replayed_and_future_heartbeats_are_refused() {
	new_test_ext().execute_with(|| {
		run_to_block(2);
		let (heartbeat, signature) = heartbeat_signed_by(1, 0, 1);
		let sent = call(heartbeat, signature);
		assert_ok!(submit(sent.clone()));
		// The same transaction again in its window: a replay.
		assert_eq!(submit(sent.clone()), refused(Refusal::AlreadyReported));
		// And in a later window: stale.
		run_to_block(7);
		assert_eq!(submit(sent), refused(InvalidTransaction::Stale));
		// A heartbeat made for a window that has not begun.
		let (heartbeat, signature) = heartbeat_signed_by(1, 2, 1);
		assert_eq!(submit(call(heartbeat, signature)), refused(InvalidTransaction::Future));
		assert_eq!(record(1).last_heartbeat, Some(2));
	});
}

#[test]
fn heartbeat_is_unsigned_only() {
	new_test_ext().execute_with(|| {
		run_to_block(1);
		let (heartbeat, signature) = heartbeat_signed_by(1, 0, 1);
		assert_noop!(
			RuntimeCall::from(call(heartbeat, signature)).dispatch(RuntimeOrigin::signed(1)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_authority_goes_offline_at_the_threshold_and_comes_back_with_its_next_heartbeat() {
	new_test_ext().execute_with(|| {
		// Authority 3 never beats. Windows 0, 1 and 2 close at blocks 5, 10 and 15; the third
		// miss, at block 15, reaches the threshold.
		let events = run_with_beats_to(16, &[3]);
		assert_eq!(
			events,
			vec![(
				15,
				Event::AuthorityOffline { authority: UintAuthorityId(3), missed: 3, last_heartbeat: None }
			)]
		);
		assert!(record(3).offline);
		assert!(!record(1).offline && !record(2).offline);
		let report = Health::report();
		assert_eq!(report.authorities.iter().filter(|row| !row.online).count(), 1);
		assert!(!report.authorities[2].online);

		// Still silent: no second event while it stays offline.
		assert_eq!(run_with_beats_to(21, &[3]), vec![]);
		assert_eq!(record(3).missed, 4);

		// Its next heartbeat, at block 22, brings it back.
		System::reset_events();
		run_to_block(22);
		assert_ok!(beat(3));
		assert_eq!(health_events(), vec![Event::AuthorityBackOnline { authority: UintAuthorityId(3) }]);
		assert_eq!(record(3), Record { last_heartbeat: Some(22), missed: 0, offline: false, authored: record(3).authored });
		assert!(Health::report().authorities.iter().all(|row| row.online));
	});
}

#[test]
fn misses_below_the_threshold_are_forgiven_by_a_heartbeat() {
	new_test_ext().execute_with(|| {
		// Silent for two windows, then back before the third closes.
		let mut events = run_with_beats_to(11, &[3]);
		assert_eq!(record(3).missed, 2);
		assert_ok!(beat(3));
		events.extend(run_with_beats_to(30, &[]));
		assert_eq!(events, vec![]);
		assert_eq!(record(3).missed, 0);
		assert!(!record(3).offline);
	});
}

#[test]
fn blocks_authored_are_counted_per_window() {
	new_test_ext().execute_with(|| {
		// Blocks 1-4 of window 0, authored in turn by 2, 3, 1, 2.
		run_to_block(4);
		assert_eq!((record(1).authored, record(2).authored, record(3).authored), (1, 2, 1));
		// Block 5 opens window 1: the counts restart with its author, 3.
		run_to_block(5);
		assert_eq!((record(1).authored, record(2).authored, record(3).authored), (0, 0, 1));
		let authored: Vec<u32> = Health::report().authorities.iter().map(|row| row.authored).collect();
		assert_eq!(authored, vec![0, 0, 1]);
	});
}

#[test]
fn records_follow_the_authority_set() {
	new_test_ext().execute_with(|| {
		run_with_beats_to(7, &[]);
		// Governance replaces 3 with 4.
		AuthorityIds::set(vec![1, 2, 4]);
		assert_eq!(beat(3), refused(Refusal::NotAnAuthority));
		// 4 starts with a clean record and the same grace as everyone: three windows.
		let events = run_with_beats_to(21, &[4]);
		assert!(!Liveness::<Test>::contains_key(UintAuthorityId(3)), "3's record is dropped");
		assert_eq!(Liveness::<Test>::count(), 3);
		assert_eq!(
			events,
			vec![(
				20,
				Event::AuthorityOffline { authority: UintAuthorityId(4), missed: 3, last_heartbeat: None }
			)]
		);
		let listed: Vec<_> = Health::report().authorities.into_iter().map(|row| row.authority.0).collect();
		assert_eq!(listed, vec![1, 2, 4]);
	});
}

/// An externalities with an offchain worker's extensions; keys `local` in the node's keystore.
/// Returns it with a reader of the transactions submitted to the pool.
fn offchain_ext(
	local: &[u64],
) -> (polkadot_sdk::sp_io::TestExternalities, impl Fn() -> Vec<crate::Call<Test>>) {
	let mut ext = new_test_ext();
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	UintAuthorityId::set_all_keys(local.iter().copied());
	(ext, move || decode_calls(&pool_state.read().transactions))
}

fn decode_calls(transactions: &[Vec<u8>]) -> Vec<crate::Call<Test>> {
	transactions
		.iter()
		.map(|bytes| {
			let xt = Extrinsic::decode(&mut &bytes[..]).expect("the worker submits extrinsics");
			assert!(matches!(xt.preamble, Preamble::Bare(_)), "heartbeats are unsigned");
			match xt.function {
				RuntimeCall::Health(call) => call,
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

#[test]
fn the_offchain_worker_sends_one_valid_heartbeat_per_local_authority_key() {
	// The node holds the keys of authority 1 and of 9, which is not an authority.
	let (mut ext, sent) = offchain_ext(&[1, 9]);
	ext.execute_with(|| {
		run_to_block(2);
		Health::offchain_worker(2);
		let calls = sent();
		assert_eq!(calls.len(), 1, "only the authority's key beats");
		let crate::Call::heartbeat { heartbeat, .. } = &calls[0] else { panic!() };
		// Made at block 2 for window 0; it can land in block 3.
		assert_eq!(*heartbeat, Heartbeat { window: 0, authority: UintAuthorityId(1) });

		// The next block's worker waits for it to land rather than sending it again.
		run_to_block(3);
		Health::offchain_worker(3);
		assert_eq!(sent().len(), 1);

		// It lands in block 3. Block 4 is window 0's last: nothing is sent there, as a
		// heartbeat made now could only land in window 1.
		assert_ok!(submit(calls[0].clone()));
		run_to_block(4);
		Health::offchain_worker(4);
		assert_eq!(sent().len(), 1);
		// Block 5 opens window 1, which needs a new heartbeat: sent once.
		run_to_block(5);
		Health::offchain_worker(5);
		Health::offchain_worker(5);
		let calls = sent();
		assert_eq!(calls.len(), 2);
		let crate::Call::heartbeat { heartbeat, .. } = &calls[1] else { panic!() };
		assert_eq!(heartbeat.window, 1);
		run_to_block(6);
		assert_ok!(submit(calls[1].clone()));
	});
}

#[test]
fn the_offchain_worker_sends_again_when_its_heartbeat_did_not_land() {
	let (mut ext, sent) = offchain_ext(&[2]);
	ext.execute_with(|| {
		run_to_block(5);
		Health::offchain_worker(5);
		for n in 6..8 {
			run_to_block(n);
			Health::offchain_worker(n);
		}
		assert_eq!(sent().len(), 1);
		// Three blocks later, still not on chain: sent again.
		run_to_block(8);
		Health::offchain_worker(8);
		assert_eq!(sent().len(), 2);
	});
}

#[test]
fn heartbeats_are_operational_and_free() {
	use polkadot_sdk::frame_support::dispatch::{DispatchClass, GetDispatchInfo, Pays};
	new_test_ext().execute_with(|| {
		let (heartbeat, signature) = heartbeat_signed_by(1, 0, 1);
		let info = call(heartbeat, signature).get_dispatch_info();
		// Operational: a block full of transfers still has room for them.
		assert_eq!(info.class, DispatchClass::Operational);
		assert_eq!(info.pays_fee, Pays::No);
	});
}
