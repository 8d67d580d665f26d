//! `consortia-signature-bench`: what verifying one transaction signature costs in each of the
//! chain's schemes, as the runtime verifies them.
//!
//! Each signature is checked through the runtime's own `Signature::verify` for the signer's
//! account, on a transfer-sized payload, with the host functions' native code (what the node
//! runs when the Wasm runtime calls them): sr25519 and ed25519 verification, ecdsa public-key
//! recovery, and SM2 through `guomi::sm2_verify`. Every signature is new to the host's cache of
//! verified SM2 signatures, so the SM2 figure is a full verification.

use clap::Parser;
use consortia_client::{AnyPair, TxSigner};
use consortia_primitives::Scheme;
use polkadot_sdk::sp_runtime::traits::Verify;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "consortia-signature-bench", about)]
struct Args {
	/// Signatures to verify per scheme (each by its own key).
	#[arg(long, default_value_t = 2_000)]
	signatures: u32,
}

fn main() -> anyhow::Result<()> {
	let args = Args::parse();
	anyhow::ensure!(args.signatures > 0, "--signatures must be positive");
	// About the size of a signed transfer's payload.
	let payload = [7u8; 120];
	let mut rates = Vec::new();
	println!("{:<8} {:>12} {:>14}", "scheme", "µs/verify", "verifies/s");
	for scheme in Scheme::ALL {
		let signed: Vec<_> = (0..args.signatures)
			.map(|i| {
				let pair = AnyPair::from_uri(scheme, &format!("//bench//{i}"))
					.expect("dev URIs make keys");
				(pair.sign_payload(&payload), pair.account())
			})
			.collect();
		let start = Instant::now();
		for (signature, account) in &signed {
			assert!(signature.verify(&payload[..], account), "{scheme:?} verifies");
		}
		let seconds = start.elapsed().as_secs_f64();
		let rate = f64::from(args.signatures) / seconds;
		println!("{:<8} {:>12.1} {:>14.0}", format!("{scheme:?}"), seconds * 1e6 / f64::from(args.signatures), rate);
		rates.push((scheme, rate));
	}
	let rate_of = |wanted| rates.iter().find(|(scheme, _)| *scheme == wanted).map_or(0.0, |r| r.1);
	println!(
		"SM2 verifies at {:.0} % of sr25519's rate and {:.0} % of ecdsa's",
		100.0 * rate_of(Scheme::Sm2) / rate_of(Scheme::Sr25519),
		100.0 * rate_of(Scheme::Sm2) / rate_of(Scheme::Ecdsa)
	);
	Ok(())
}
