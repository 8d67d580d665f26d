//! The node under test as the bench sees it over one WebSocket connection: the few queries it
//! makes, decoded with the runtime's types.

use anyhow::{anyhow, Context, Result};
use codec::Decode;
use consortia_client as tx;
use consortia_runtime::{AccountId, Balance, Hash, Nonce, Runtime};
use jsonrpsee::{
	core::{
		client::{ClientT, Error as RpcError, Subscription, SubscriptionClientT},
		params::ArrayParams,
	},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, PerDispatchClass},
		weights::Weight,
	},
	frame_system, pallet_timestamp,
	sp_core::storage::StorageKey,
	sp_runtime::traits::{BlakeTwo256, Hash as _},
};
use serde_json::Value;
use std::{collections::HashMap, time::Duration};

/// Author RPC error codes (`sc-rpc-api`) that mean "the pool is full, try again later".
const POOL_TOO_LOW_PRIORITY: i32 = 1014;
const POOL_IMMEDIATELY_DROPPED: i32 = 1016;

/// One WebSocket connection to the node.
pub struct Chain {
	client: WsClient,
}

/// What the node answered to a submission.
pub enum Submission {
	Accepted,
	/// The pool is at its limit; the same transaction may be sent again later.
	PoolFull,
	/// Refused for good, with the node's reason.
	Refused(String),
}

/// A block as the bench records it.
pub struct Block {
	pub number: u32,
	/// Hashes of the block's extrinsics.
	pub extrinsics: Vec<Hash>,
	/// Encoded size of the block's extrinsics.
	pub length: usize,
}

/// An account's nonce and free balance.
#[derive(Clone, Copy, Default)]
pub struct Account {
	pub nonce: Nonce,
	pub free: Balance,
}

impl Chain {
	/// Connects to `url`, allowing `in_flight` requests to await answers at once.
	pub async fn connect(url: &str, in_flight: usize) -> Result<Self> {
		let client = WsClientBuilder::default()
			.max_concurrent_requests(in_flight.max(8))
			// A full block, or its events, in hex can be tens of megabytes.
			.max_response_size(512 << 20)
			.max_buffer_capacity_per_subscription(16_384)
			.request_timeout(Duration::from_secs(120))
			.build(url)
			.await
			.with_context(|| format!("cannot connect to the node at {url}"))?;
		Ok(Self { client })
	}

	async fn call(&self, method: &str, params: ArrayParams) -> Result<Value> {
		self.client
			.request(method, params)
			.await
			.with_context(|| format!("{method} failed"))
	}

	/// The genesis block's hash.
	pub async fn genesis_hash(&self) -> Result<Hash> {
		self.block_hash(0).await
	}

	/// The spec version of the runtime at the best block.
	pub async fn spec_version(&self) -> Result<u32> {
		let version = self.call("state_getRuntimeVersion", rpc_params![]).await?;
		version["specVersion"]
			.as_u64()
			.map(|v| v as u32)
			.ok_or_else(|| anyhow!("state_getRuntimeVersion returned no specVersion"))
	}

	/// The chain's name, as the node reports it.
	pub async fn chain_name(&self) -> Result<String> {
		let name = self.call("system_chain", rpc_params![]).await?;
		Ok(name.as_str().unwrap_or_default().to_string())
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<Nonce> {
		let nonce = self
			.call("system_accountNextIndex", rpc_params![who.to_string()])
			.await?;
		nonce
			.as_u64()
			.map(|n| n as Nonce)
			.ok_or_else(|| anyhow!("system_accountNextIndex returned {nonce}"))
	}

	/// The hash of the last finalized block.
	pub async fn finalized_head(&self) -> Result<Hash> {
		parse_hash(&self.call("chain_getFinalizedHead", rpc_params![]).await?)
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u32> {
		let header = self.call("chain_getHeader", rpc_params![]).await?;
		parse_number(&header["number"])
	}

	/// The number of block `hash`.
	pub async fn number_of(&self, hash: Hash) -> Result<u32> {
		let header = self.call("chain_getHeader", rpc_params![hash]).await?;
		parse_number(&header["number"])
	}

	/// The hash of block `number` on the best chain.
	pub async fn block_hash(&self, number: u32) -> Result<Hash> {
		let hash = self.call("chain_getBlockHash", rpc_params![number]).await?;
		parse_hash(&hash).with_context(|| format!("no block {number}"))
	}

	/// Block `hash`, with its extrinsics hashed.
	pub async fn block(&self, hash: Hash) -> Result<Block> {
		let block = self.call("chain_getBlock", rpc_params![hash]).await?;
		let block = &block["block"];
		let number = parse_number(&block["header"]["number"])?;
		let mut length = 0;
		let mut extrinsics = Vec::new();
		for xt in block["extrinsics"].as_array().into_iter().flatten() {
			let bytes = tx::from_hex(xt.as_str().unwrap_or_default());
			length += bytes.len();
			extrinsics.push(BlakeTwo256::hash(&bytes));
		}
		Ok(Block {
			number,
			extrinsics,
			length,
		})
	}

	/// The raw value under `key` at block `at`.
	pub async fn storage(&self, key: &StorageKey, at: Hash) -> Result<Option<Vec<u8>>> {
		let value = self.call("state_getStorage", rpc_params![key, at]).await?;
		Ok(value.as_str().map(tx::from_hex))
	}

	/// The block's timestamp, in milliseconds since the Unix epoch.
	pub async fn timestamp(&self, at: Hash) -> Result<u64> {
		let key = StorageKey(pallet_timestamp::Now::<Runtime>::hashed_key().to_vec());
		let bytes = self.storage(&key, at).await?.unwrap_or_default();
		u64::decode(&mut &bytes[..]).context("Timestamp::Now does not decode")
	}

	/// The weight of the normal-class extrinsics of block `at`.
	pub async fn normal_weight(&self, at: Hash) -> Result<Weight> {
		let key = StorageKey(frame_system::BlockWeight::<Runtime>::hashed_key().to_vec());
		let bytes = self.storage(&key, at).await?.unwrap_or_default();
		let weight = PerDispatchClass::<Weight>::decode(&mut &bytes[..])
			.context("System::BlockWeight does not decode")?;
		Ok(*weight.get(DispatchClass::Normal))
	}

	/// The events of block `at`.
	pub async fn events(&self, at: Hash) -> Result<Vec<consortia_runtime::RuntimeEvent>> {
		Ok(self
			.storage(&tx::events_key(), at)
			.await?
			.map(|bytes| tx::decode_events(&bytes))
			.unwrap_or_default())
	}

	/// Nonces and free balances of `accounts` at block `at`, in one query.
	pub async fn accounts(&self, accounts: &[AccountId], at: Hash) -> Result<Vec<Account>> {
		let keys: Vec<StorageKey> = accounts.iter().map(tx::account_key).collect();
		let sets = self
			.call("state_queryStorageAt", rpc_params![&keys, at])
			.await?;
		let mut values = HashMap::new();
		for change in sets[0]["changes"].as_array().into_iter().flatten() {
			if let (Some(key), Some(value)) = (change[0].as_str(), change[1].as_str()) {
				values.insert(key.to_lowercase(), tx::from_hex(value));
			}
		}
		Ok(keys
			.iter()
			.map(|key| {
				let hex = polkadot_sdk::sp_core::bytes::to_hex(&key.0, false);
				values
					.get(&hex)
					.map(|bytes| {
						let info = tx::decode_account(bytes);
						Account {
							nonce: info.nonce,
							free: info.data.free,
						}
					})
					.unwrap_or_default()
			})
			.collect())
	}

	/// Submits a signed transaction, given as `0x`-prefixed hex.
	pub async fn submit(&self, xt_hex: &str) -> Submission {
		match self
			.client
			.request::<Value, _>("author_submitExtrinsic", rpc_params![xt_hex])
			.await
		{
			Ok(_) => Submission::Accepted,
			Err(RpcError::Call(e))
				if matches!(e.code(), POOL_TOO_LOW_PRIORITY | POOL_IMMEDIATELY_DROPPED) =>
			{
				Submission::PoolFull
			}
			Err(RpcError::Call(e)) => Submission::Refused(match e.data() {
				Some(data) => format!("{}: {}", e.message(), data.get()),
				None => e.message().to_string(),
			}),
			Err(e) => Submission::Refused(e.to_string()),
		}
	}

	/// New best headers (`finalized == false`) or finalized headers.
	pub async fn subscribe_heads(&self, finalized: bool) -> Result<Subscription<Value>> {
		let (subscribe, unsubscribe) = if finalized {
			(
				"chain_subscribeFinalizedHeads",
				"chain_unsubscribeFinalizedHeads",
			)
		} else {
			("chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
		};
		self.client
			.subscribe(subscribe, rpc_params![], unsubscribe)
			.await
			.with_context(|| format!("{subscribe} failed"))
	}
}

/// Parses a hex block number such as `"0x1a"`.
pub fn parse_number(value: &Value) -> Result<u32> {
	let hex = value
		.as_str()
		.ok_or_else(|| anyhow!("a block number is not a string: {value}"))?;
	u32::from_str_radix(hex.trim_start_matches("0x"), 16)
		.with_context(|| format!("bad block number {hex}"))
}

fn parse_hash(value: &Value) -> Result<Hash> {
	value
		.as_str()
		.ok_or_else(|| anyhow!("expected a hash, got {value}"))?
		.parse()
		.map_err(|_| anyhow!("bad hash {value}"))
}
