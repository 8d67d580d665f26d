//! `consortia`: the Consortia node.

mod chain_spec;
mod cli;
mod command;
mod consortium;
mod gossip;
mod health;
mod key;
mod mempool;
mod rpc;
mod service;
mod validation;
mod verify_ahead;
mod wallet;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
