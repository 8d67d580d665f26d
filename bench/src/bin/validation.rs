//! `consortia-validation-bench`: how many signed transfers per second the runtime validates for
//! the transaction pool, and what share of that time the mempool policy takes.
//!
//! It runs the runtime natively on the development genesis (no node, no RPC in the way): signs
//! `--transactions` transfers among `--senders` funded accounts, then times
//! `validate_transaction` on all of them, as the pool calls it, and then the policy's own part
//! (fee, entry block, admission reads and priority) on the same transactions. The node runs the
//! same code compiled to Wasm, so its absolute rates are somewhat lower; the share carries over.

use clap::Parser;
use codec::Encode;
use consortia_client as tx;
use consortia_runtime::{
	pallet_mempool_policy::{self, Strategy},
	Balances, Executive, Header, MempoolPolicy, Runtime, RuntimeOrigin, System, UncheckedExtrinsic,
	UNIT, WASM_BINARY,
};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	sc_chain_spec::GenesisConfigBuilderRuntimeCaller,
	sp_core::{sr25519, Pair},
	sp_io::TestExternalities,
	sp_runtime::{
		generic::Preamble, traits::Header as _, transaction_validity::TransactionSource, Digest,
		MultiAddress,
	},
};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "consortia-validation-bench", about)]
struct Args {
	/// Transfers to validate.
	#[arg(long, default_value_t = 20_000)]
	transactions: u32,
	/// Accounts sending them (each sends transactions / senders, in nonce order).
	#[arg(long, default_value_t = 1_000)]
	senders: u32,
	/// The policy's strategy while validating: timeline, price or score.
	#[arg(long, default_value = "score", value_parser = parse_strategy)]
	strategy: Strategy,
}

fn parse_strategy(name: &str) -> Result<Strategy, String> {
	match name {
		"timeline" => Ok(Strategy::Timeline),
		"price" => Ok(Strategy::Price),
		"score" => Ok(Strategy::Score),
		other => Err(format!("unknown strategy {other:?}: timeline, price or score")),
	}
}

fn per_second(count: u32, elapsed: Duration) -> f64 {
	f64::from(count) / elapsed.as_secs_f64()
}

fn main() -> anyhow::Result<()> {
	let args = Args::parse();
	anyhow::ensure!(args.senders > 0 && args.transactions > 0, "--senders and --transactions must be positive");
	let storage = GenesisConfigBuilderRuntimeCaller::<'static, ()>::new(
		WASM_BINARY.ok_or_else(|| anyhow::anyhow!("built without the Wasm runtime"))?,
	)
	.get_storage_for_named_preset(Some(&"development".to_string()))
	.map_err(|e| anyhow::anyhow!("the development preset: {e}"))?;

	TestExternalities::new(storage).execute_with(|| -> anyhow::Result<()> {
		let genesis = System::block_hash(0);
		Executive::initialize_block(&Header::new(1, Default::default(), Default::default(), genesis, Digest::default()));
		let mut policy = pallet_mempool_policy::ActivePolicy::<Runtime>::get();
		policy.strategy = args.strategy;
		MempoolPolicy::set_policy(RuntimeOrigin::root(), policy)
			.map_err(|e| anyhow::anyhow!("setting the strategy: {e:?}"))?;

		let senders: Vec<sr25519::Pair> = (0..args.senders)
			.map(|i| sr25519::Pair::from_string(&format!("//validation//{i}"), None).expect("a valid derivation"))
			.collect();
		for pair in &senders {
			Balances::force_set_balance(RuntimeOrigin::root(), MultiAddress::Id(pair.public().into()), 1_000 * UNIT)
				.map_err(|e| anyhow::anyhow!("funding: {e:?}"))?;
		}
		let dest = tx::transfer(&senders[0].public().into(), UNIT);
		let xts: Vec<UncheckedExtrinsic> = (0..args.transactions)
			.map(|i| {
				let sender = &senders[(i % args.senders) as usize];
				tx::sign(dest.clone(), sender, i / args.senders, genesis)
			})
			.collect();

		// What the pool asks of the runtime for each transaction.
		let start = Instant::now();
		for xt in &xts {
			Executive::validate_transaction(TransactionSource::External, xt.clone(), genesis)
				.map_err(|e| anyhow::anyhow!("a transfer was refused: {e:?}"))?;
		}
		let full = start.elapsed();

		// The policy's part of that, on the same transactions, as its extension does it: the fee
		// comes from the fee check, so it is worked out beforehand here.
		let mut judged = Vec::with_capacity(xts.len());
		for xt in &xts {
			let Preamble::Signed(MultiAddress::Id(who), _, extension) = &xt.preamble else {
				anyhow::bail!("every transfer is signed");
			};
			let (info, len) = (xt.get_dispatch_info(), xt.encoded_size());
			judged.push((who, &extension.5, info, len, extension.5.candidate(&info, len).fee));
		}
		let start = Instant::now();
		for (who, checks, info, len, fee) in &judged {
			let policy = pallet_mempool_policy::ActivePolicy::<Runtime>::get();
			policy.check_size(*len as u32, false).map_err(|e| anyhow::anyhow!("{e:?}"))?;
			let candidate = checks.candidate_with_fee(info, *len, *fee);
			MempoolPolicy::admit(&policy, who, checks.nonce(), &candidate)
				.map_err(|e| anyhow::anyhow!("refused by the policy: {e:?}"))?;
			std::hint::black_box(policy.priority(&candidate));
		}
		let policy = start.elapsed();

		let share = policy.as_secs_f64() / full.as_secs_f64();
		println!("strategy:                    {:?}", args.strategy);
		println!("transfers validated:         {}", args.transactions);
		println!("validated per second:        {:.0} (with the policy)", per_second(args.transactions, full));
		println!(
			"                             {:.0} (without its part)",
			per_second(args.transactions, full.saturating_sub(policy))
		);
		println!("per transfer:                {:.1} µs, of which the policy {:.2} µs", full.as_secs_f64() * 1e6 / f64::from(args.transactions), policy.as_secs_f64() * 1e6 / f64::from(args.transactions));
		println!("the policy's share:          {:.1} %", share * 100.0);
		Ok(())
	})
}
