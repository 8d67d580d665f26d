//! Which scheme verified the signature of the transaction being checked.
//!
//! A transaction extension sees the signer's account but never the signature, so it cannot tell
//! an sr25519 account from an ed25519 one. [`Signature`](crate::Signature)'s `verify` records
//! the scheme here when it succeeds; the wallet pallet's extension takes it when it checks the
//! same transaction: the runtime verifies the signature and then runs the extensions in order,
//! with nothing in between that verifies another signature (only `CheckNonZeroSender` runs
//! before the wallet's check, and it verifies nothing).
//!
//! A record left behind (a transaction refused by an earlier extension) is overwritten by the
//! next signed transaction's verification before anything reads it, and unsigned transactions
//! never read it.

use crate::Scheme;

#[cfg(feature = "std")]
std::thread_local! {
	// Native runtimes (tests, benchmarks) may check transactions on several threads at once.
	static VERIFIED: core::cell::Cell<Option<Scheme>> = const { core::cell::Cell::new(None) };
}

/// Records that a signature of `scheme` has just been verified.
pub fn record(scheme: Scheme) {
	#[cfg(feature = "std")]
	VERIFIED.with(|cell| cell.set(Some(scheme)));
	#[cfg(not(feature = "std"))]
	wasm::VERIFIED.store(scheme as u8 + 1, core::sync::atomic::Ordering::Relaxed);
}

/// The scheme recorded since the last `take`, if any, clearing it.
pub fn take() -> Option<Scheme> {
	#[cfg(feature = "std")]
	return VERIFIED.with(|cell| cell.take());
	#[cfg(not(feature = "std"))]
	match wasm::VERIFIED.swap(0, core::sync::atomic::Ordering::Relaxed) {
		0 => None,
		code => Scheme::ALL.get(usize::from(code - 1)).copied(),
	}
}

#[cfg(not(feature = "std"))]
mod wasm {
	/// The runtime is single-threaded in wasm: an atomic is just a cell that is `Sync`.
	/// 0 is "nothing recorded", otherwise the scheme's wire index plus one.
	pub static VERIFIED: core::sync::atomic::AtomicU8 = core::sync::atomic::AtomicU8::new(0);
}
