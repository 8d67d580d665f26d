use super::*;
use consortia_primitives::sm2;
use polkadot_sdk::{sp_core::Pair as _, sp_runtime::traits::Verify};

const PASSWORD: &str = "wallet password";

fn open() -> (tempfile::TempDir, Wallet) {
	let folder = tempfile::tempdir().unwrap();
	let wallet = Wallet::open(folder.path()).unwrap();
	(folder, wallet)
}

fn unlocked() -> (tempfile::TempDir, Wallet) {
	let (folder, wallet) = open();
	wallet.set_password(None, PASSWORD).unwrap();
	wallet.unlock(PASSWORD, None).unwrap();
	(folder, wallet)
}

fn file_text(wallet: &Wallet) -> String {
	std::fs::read_to_string(wallet.path()).unwrap()
}

#[test]
fn a_new_wallet_needs_a_password_before_accounts() {
	let (_folder, wallet) = open();
	assert_eq!(
		wallet.status(),
		Status {
			has_password: false,
			locked: true,
			locks_in_secs: None,
			accounts: 0
		}
	);
	assert!(matches!(
		wallet.create(Scheme::Sm2, "", 12),
		Err(Error::NoPassword)
	));
	assert!(matches!(
		wallet.unlock(PASSWORD, None),
		Err(Error::NoPassword)
	));
	assert!(matches!(
		wallet.set_password(None, "short"),
		Err(Error::WeakPassword)
	));
	assert!(!wallet.path().exists());

	wallet.set_password(None, PASSWORD).unwrap();
	assert!(matches!(
		wallet.set_password(None, "another password"),
		Err(Error::HasPassword)
	));
	// Setting a password does not unlock.
	assert!(matches!(
		wallet.create(Scheme::Sm2, "", 12),
		Err(Error::Locked)
	));
}

#[test]
fn accounts_of_every_scheme_sign_for_their_address() {
	let (_folder, wallet) = unlocked();
	for scheme in Scheme::ALL {
		let (account, phrase) = wallet.create(scheme, scheme.name(), 12).unwrap();
		assert_eq!(phrase.split(' ').count(), 12);
		assert_eq!(account.scheme, scheme.name());
		// The account is the one the mnemonic gives any wallet.
		let pair = AnyPair::from_uri(scheme, &phrase).unwrap();
		assert_eq!(account.address, pair.account().to_ss58check());

		let signature = wallet.sign(&account.address, b"payload").unwrap();
		assert_eq!(signature.scheme(), scheme);
		let signer = AccountId32::from_ss58check(&account.address).unwrap();
		assert!(signature.verify(&b"payload"[..], &signer));
	}
	assert_eq!(wallet.accounts().len(), 4);
}

#[test]
fn a_locked_wallet_lists_but_does_not_sign() {
	let (_folder, wallet) = unlocked();
	let account = wallet
		.import_uri(Scheme::Sr25519, "//Alice", "alice")
		.unwrap();
	wallet.lock();
	assert!(wallet.status().locked);
	assert!(matches!(
		wallet.sign(&account.address, b"x"),
		Err(Error::Locked)
	));
	assert!(matches!(
		wallet.export(&account.address, "export password"),
		Err(Error::Locked)
	));
	assert!(matches!(
		wallet.import_uri(Scheme::Sr25519, "//Bob", ""),
		Err(Error::Locked)
	));
	assert_eq!(wallet.accounts(), [account.clone()]);
	// Labels are not secret.
	assert_eq!(
		wallet
			.set_label(&account.address, "treasury")
			.unwrap()
			.label,
		"treasury"
	);

	assert!(matches!(
		wallet.unlock("wrong password", None),
		Err(Error::WrongPassword)
	));
	assert!(wallet.status().locked);
	wallet.unlock(PASSWORD, None).unwrap();
	wallet.sign(&account.address, b"x").unwrap();
}

#[test]
fn the_unlock_ends_with_its_timeout() {
	let (_folder, wallet) = unlocked();
	let account = wallet.import_uri(Scheme::Ed25519, "//Alice", "").unwrap();
	wallet
		.unlock(PASSWORD, Some(Duration::from_millis(200)))
		.unwrap();
	assert!(!wallet.status().locked);
	assert!(wallet.status().locks_in_secs.is_some());
	std::thread::sleep(Duration::from_millis(300));
	assert!(matches!(
		wallet.sign(&account.address, b"x"),
		Err(Error::Locked)
	));
	assert!(wallet.status().locked);
}

#[test]
fn the_file_holds_no_secret_in_clear() {
	let (_folder, wallet) = unlocked();
	let (account, phrase) = wallet.create(Scheme::Sm2, "sm2", 24).unwrap();
	let secret = Secret::from_uri(Scheme::Sm2, &phrase).unwrap();
	let text = file_text(&wallet);
	assert!(text.contains(&account.address));
	let secret_hex = polkadot_sdk::sp_core::bytes::to_hex(secret.bytes(), false);
	assert!(!text.contains(&secret_hex[2..]));
	// Nor the phrase, any two of its words in a row (single words such as "address" are JSON
	// keys too), or the entropy it encodes.
	let words: Vec<&str> = phrase.split(' ').collect();
	for pair in words.windows(2) {
		assert!(!text.contains(&pair.join(" ")), "{pair:?}");
	}
	let entropy = bip39::Mnemonic::parse(phrase.as_str()).unwrap().to_entropy();
	let entropy_hex = polkadot_sdk::sp_core::bytes::to_hex(&entropy, false);
	assert!(!text.contains(&entropy_hex[2..]));
	assert!(!text.contains(PASSWORD));
}

#[test]
fn a_wrong_password_changes_nothing() {
	let (_folder, wallet) = unlocked();
	let account = wallet
		.import_uri(Scheme::Ecdsa, "//Alice", "alice")
		.unwrap();
	let before = file_text(&wallet);
	assert!(matches!(
		wallet.set_password(Some("wrong password"), "new password"),
		Err(Error::WrongPassword)
	));
	assert_eq!(file_text(&wallet), before);
	assert!(!wallet.status().locked);

	wallet.set_password(Some(PASSWORD), "new password").unwrap();
	assert_ne!(file_text(&wallet), before);
	// Still unlocked, under the new key.
	wallet.sign(&account.address, b"x").unwrap();
	wallet.lock();
	assert!(matches!(
		wallet.unlock(PASSWORD, None),
		Err(Error::WrongPassword)
	));
	wallet.unlock("new password", None).unwrap();
	wallet.sign(&account.address, b"x").unwrap();
}

#[test]
fn the_wallet_survives_reopening_and_excludes_a_second_process() {
	let (folder, wallet) = unlocked();
	let account = wallet.import_uri(Scheme::Sm2, "//Alice", "alice").unwrap();
	assert!(matches!(Wallet::open(folder.path()), Err(Error::InUse(_))));
	drop(wallet);

	let wallet = Wallet::open(folder.path()).unwrap();
	assert_eq!(wallet.accounts(), [account.clone()]);
	assert!(wallet.status().locked);
	wallet.unlock(PASSWORD, None).unwrap();
	let signature = wallet.sign(&account.address, b"x").unwrap();
	let Signature::Sm2(signature) = signature else {
		panic!("an SM2 signature")
	};
	assert_eq!(
		signature.public,
		sm2::Pair::from_string("//Alice", None).unwrap().public()
	);
}

#[test]
fn duplicates_and_bad_input_are_refused() {
	let (_folder, wallet) = unlocked();
	let alice = wallet
		.import_uri(Scheme::Sr25519, "//Alice", "alice")
		.unwrap();
	let before = file_text(&wallet);
	assert!(matches!(
		wallet.import_uri(Scheme::Sr25519, "//Alice", "again"),
		Err(Error::AccountExists(_))
	));
	assert!(matches!(
		wallet.import_uri(Scheme::Ed25519, "//Bob", "alice"),
		Err(Error::LabelTaken(_))
	));
	assert!(matches!(
		wallet.import_uri(Scheme::Ed25519, "//Bob", &"x".repeat(65)),
		Err(Error::InvalidLabel)
	));
	assert!(matches!(
		wallet.import_uri(Scheme::Ed25519, "no such words", ""),
		Err(Error::InvalidSecret(_))
	));
	assert!(matches!(
		wallet.create(Scheme::Sm2, "", 13),
		Err(Error::InvalidWordCount(13))
	));
	assert!(matches!(
		wallet.sign("not an address", b"x"),
		Err(Error::InvalidAddress(_))
	));
	let bob = AccountId32::new([7; 32]).to_ss58check();
	assert!(matches!(
		wallet.sign(&bob, b"x"),
		Err(Error::UnknownAccount(_))
	));
	assert_eq!(file_text(&wallet), before);
	// An address with another network's prefix names the same account.
	let (account, _) = AccountId32::from_ss58check_with_version(&alice.address).unwrap();
	let kusama = account.to_ss58check_with_version(2u16.into());
	wallet.sign(&kusama, b"x").unwrap();
}

#[test]
fn exports_import_into_another_wallet() {
	let (_folder, wallet) = unlocked();
	let (_other_folder, other) = unlocked();
	for scheme in Scheme::ALL {
		let (account, _) = wallet.create(scheme, scheme.name(), 12).unwrap();
		let json = wallet.export(&account.address, "export password").unwrap();
		assert!(matches!(
			other.import_json(&json, "wrong password", ""),
			Err(Error::WrongPassword)
		));
		let imported = other
			.import_json(&json, "export password", scheme.name())
			.unwrap();
		assert_eq!(imported.address, account.address);
		assert_eq!(imported.public_key, account.public_key);
	}
}

#[test]
fn a_damaged_file_is_reported() {
	let folder = tempfile::tempdir().unwrap();
	std::fs::write(folder.path().join("wallet.json"), "{ not json").unwrap();
	assert!(matches!(
		Wallet::open(folder.path()),
		Err(Error::Corrupt(_))
	));
}

#[test]
fn a_timeout_past_the_clock_means_no_timeout() {
	let (_folder, wallet) = unlocked();
	let account = wallet.import_uri(Scheme::Sr25519, "//Alice", "").unwrap();
	wallet.unlock(PASSWORD, Some(Duration::MAX)).unwrap();
	assert_eq!(wallet.status().locks_in_secs, None);
	wallet.sign(&account.address, b"x").unwrap();
}

#[test]
fn labels_are_checked() {
	let (_folder, wallet) = unlocked();
	wallet
		.import_uri(Scheme::Sr25519, "//Alice", "alice")
		.unwrap();
	let bob = wallet.import_uri(Scheme::Ed25519, "//Bob", "bob").unwrap();
	let before = file_text(&wallet);
	assert!(matches!(
		wallet.set_label(&bob.address, "alice"),
		Err(Error::LabelTaken(_))
	));
	let stranger = AccountId32::new([7; 32]).to_ss58check();
	assert!(matches!(
		wallet.set_label(&stranger, "x"),
		Err(Error::UnknownAccount(_))
	));
	assert!(matches!(
		wallet.set_label(&bob.address, "a\nb"),
		Err(Error::InvalidLabel)
	));
	assert!(matches!(
		wallet.export(&bob.address, "short"),
		Err(Error::WeakPassword)
	));
	assert_eq!(file_text(&wallet), before);
	// An account keeps its own label without a clash, and any label may be cleared.
	assert_eq!(wallet.set_label(&bob.address, "bob").unwrap().label, "bob");
	assert_eq!(wallet.set_label(&bob.address, "").unwrap().label, "");
}
