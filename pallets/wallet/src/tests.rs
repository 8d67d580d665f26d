use crate::{
	all_schemes, mock::*, AllowedSchemes, CheckWalletPolicy, Error, Event, Frozen, Refusal,
	Scheme, SchemeSet,
};
use consortia_primitives::verified_scheme;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, dispatch::DispatchInfo, pallet_prelude::TransactionSource,
		BoundedVec,
	},
	sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		ArithmeticError, DispatchError, TokenError,
	},
};

fn schemes(list: &[Scheme]) -> SchemeSet {
	SchemeSet::truncate_from(list.to_vec())
}

/// The pool's verdict on a transaction from `who` whose signature verified under `scheme`
/// (`None`: no signature was verified).
fn validate(who: u64, scheme: Option<Scheme>) -> Result<(), TransactionValidityError> {
	if let Some(scheme) = scheme {
		verified_scheme::record(scheme);
	}
	let call = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
	CheckWalletPolicy::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(who),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn refused(refusal: Refusal) -> Result<(), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(refusal.code())))
}

#[test]
fn every_scheme_is_allowed_by_default() {
	new_test_ext().execute_with(|| {
		assert_eq!(AllowedSchemes::<Test>::get(), all_schemes());
		for scheme in Scheme::ALL {
			assert_eq!(validate(1, Some(scheme)), Ok(()));
		}
	});
}

#[test]
fn only_governance_sets_the_policy_and_it_cannot_be_empty() {
	new_test_ext().execute_with(|| {
		let sm2_only = schemes(&[Scheme::Sm2]);
		assert_noop!(
			Wallet::set_allowed_schemes(RuntimeOrigin::signed(1), sm2_only.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Wallet::set_allowed_schemes(RuntimeOrigin::root(), schemes(&[])),
			Error::<Test>::NoSchemeAllowed
		);
		// Stored sorted and without repeats.
		let messy = schemes(&[Scheme::Sm2, Scheme::Ed25519, Scheme::Sm2]);
		assert_ok!(Wallet::set_allowed_schemes(RuntimeOrigin::root(), messy));
		let tidy = schemes(&[Scheme::Ed25519, Scheme::Sm2]);
		assert_eq!(AllowedSchemes::<Test>::get(), tidy);
		assert_eq!(events(), vec![Event::SchemesSet { schemes: tidy }]);
	});
}

#[test]
fn sm2_only_mode_refuses_other_schemes_until_they_are_allowed_again() {
	new_test_ext().execute_with(|| {
		assert_ok!(Wallet::set_allowed_schemes(RuntimeOrigin::root(), schemes(&[Scheme::Sm2])));
		assert_eq!(validate(1, Some(Scheme::Sm2)), Ok(()));
		for scheme in [Scheme::Ed25519, Scheme::Sr25519, Scheme::Ecdsa] {
			assert_eq!(validate(1, Some(scheme)), refused(Refusal::SchemeDisabled));
		}
		assert_ok!(Wallet::set_allowed_schemes(RuntimeOrigin::root(), all_schemes()));
		assert_eq!(validate(1, Some(Scheme::Sr25519)), Ok(()));
	});
}

#[test]
fn a_signed_transaction_no_signature_verified_is_refused_and_records_do_not_linger() {
	new_test_ext().execute_with(|| {
		assert_eq!(validate(1, None), refused(Refusal::SchemeDisabled));
		// The extension takes the record: a second transaction cannot reuse it.
		assert_eq!(validate(1, Some(Scheme::Sr25519)), Ok(()));
		assert_eq!(validate(1, None), refused(Refusal::SchemeDisabled));
		assert_eq!(verified_scheme::take(), None);
	});
}

#[test]
fn a_frozen_account_is_refused_until_unfrozen() {
	new_test_ext().execute_with(|| {
		assert_noop!(Wallet::freeze(RuntimeOrigin::signed(2), 1), DispatchError::BadOrigin);
		assert_ok!(Wallet::freeze(RuntimeOrigin::root(), 1));
		assert_eq!(Frozen::<Test>::get(1), Some(1));
		assert_noop!(Wallet::freeze(RuntimeOrigin::root(), 1), Error::<Test>::AlreadyFrozen);
		assert_eq!(validate(1, Some(Scheme::Sr25519)), refused(Refusal::AccountFrozen));
		assert_eq!(validate(2, Some(Scheme::Sr25519)), Ok(()), "others are unaffected");

		assert_noop!(Wallet::unfreeze(RuntimeOrigin::signed(2), 1), DispatchError::BadOrigin);
		assert_ok!(Wallet::unfreeze(RuntimeOrigin::root(), 1));
		assert_noop!(Wallet::unfreeze(RuntimeOrigin::root(), 1), Error::<Test>::NotFrozen);
		assert_eq!(validate(1, Some(Scheme::Sr25519)), Ok(()));
		assert_eq!(
			events(),
			vec![Event::AccountFrozen { who: 1 }, Event::AccountUnfrozen { who: 1 }]
		);
	});
}

#[test]
fn unsigned_transactions_are_not_policed() {
	new_test_ext().execute_with(|| {
		assert_ok!(Wallet::set_allowed_schemes(RuntimeOrigin::root(), schemes(&[Scheme::Sm2])));
		let call = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
		let result = CheckWalletPolicy::<Test>::new().validate(
			RuntimeOrigin::none(),
			&call,
			&DispatchInfo::default(),
			0,
			(),
			&polkadot_sdk::sp_runtime::traits::TxBaseImplication(()),
			TransactionSource::External,
		);
		assert!(result.is_ok());
	});
}

#[test]
fn a_transfer_carries_its_memo_in_the_event() {
	new_test_ext().execute_with(|| {
		let memo = BoundedVec::truncate_from(b"invoice 42".to_vec());
		assert_ok!(Wallet::transfer_with_memo(RuntimeOrigin::signed(1), 2, 300, memo.clone()));
		assert_eq!(Balances::free_balance(1), 700);
		assert_eq!(Balances::free_balance(2), 1_300);
		assert_eq!(events(), vec![Event::Transfer { from: 1, to: 2, amount: 300, memo }]);
	});
}

#[test]
fn a_transfer_keeps_the_sender_alive_and_fails_whole() {
	new_test_ext().execute_with(|| {
		let memo = BoundedVec::truncate_from(b"all of it".to_vec());
		assert_noop!(
			Wallet::transfer_with_memo(RuntimeOrigin::signed(1), 2, 1_000, memo.clone()),
			TokenError::NotExpendable
		);
		assert_noop!(
			Wallet::transfer_with_memo(RuntimeOrigin::signed(1), 2, 5_000, memo),
			// What `balances.transferKeepAlive` says of an amount above the balance, too.
			ArithmeticError::Underflow
		);
		assert!(events().is_empty());
	});
}

#[test]
fn a_memo_longer_than_the_limit_does_not_decode() {
	use codec::{Decode, Encode};
	let long = vec![0u8; MAX_MEMO as usize + 1];
	let call = (2u8, 3u8, 2u64, codec::Compact(1u64), long).encode();
	assert!(RuntimeCall::decode(&mut &call[..]).is_err());
	let fits = (2u8, 3u8, 2u64, codec::Compact(1u64), vec![0u8; MAX_MEMO as usize]).encode();
	assert!(RuntimeCall::decode(&mut &fits[..]).is_ok());
}
