//! The pool refusals a pallet gives as `InvalidTransaction::Custom(code)`.

#[doc(hidden)]
pub use polkadot_sdk::sp_runtime::transaction_validity::InvalidTransaction;

/// Declares a pallet's refusals: an enum whose discriminants are the custom validity codes,
/// with `ALL`, `code`, `from_code`, a stable `name` for logs, metrics and RPC, and the
/// conversion into `InvalidTransaction::Custom`. Each pallet keeps a range of codes of its own
/// (mempool policy 100s, health 110s, wallet 120s; the runtime's tests check they never meet).
///
/// ```ignore
/// consortia_primitives::refusals! {
///     /// Why the wallet refuses a transaction.
///     pub enum Refusal {
///         /// Signed with a disabled scheme.
///         SchemeDisabled = 120 => "SignatureSchemeDisabled",
///     }
/// }
/// ```
#[macro_export]
macro_rules! refusals {
	(
		$(#[$meta:meta])*
		$vis:vis enum $name:ident {
			$( $(#[$variant_meta:meta])* $variant:ident = $code:literal => $label:literal, )+
		}
	) => {
		$(#[$meta])*
		#[derive(Clone, Copy, PartialEq, Eq, Debug)]
		#[repr(u8)]
		$vis enum $name {
			$( $(#[$variant_meta])* $variant = $code, )+
		}

		impl $name {
			/// Every refusal, in the order declared.
			pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

			/// The code carried by `InvalidTransaction::Custom`.
			pub const fn code(self) -> u8 {
				self as u8
			}

			/// The refusal a custom validity code stands for, if it is one of these.
			pub fn from_code(code: u8) -> Option<Self> {
				Self::ALL.into_iter().find(|refusal| refusal.code() == code)
			}

			/// A stable name for logs, metrics and RPC.
			pub const fn name(self) -> &'static str {
				match self {
					$( $name::$variant => $label, )+
				}
			}
		}

		impl From<$name> for $crate::refusal::InvalidTransaction {
			fn from(refusal: $name) -> Self {
				$crate::refusal::InvalidTransaction::Custom(refusal.code())
			}
		}
	};
}
