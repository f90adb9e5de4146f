//! Organizations' contact phones sealed at rest (`DOMAIN.md` §12), as every phone kept beside its row is
//! (`crate::store::phones`): the store seals the phones it writes itself (seed, import, an approved
//! registration or change); `contact_phone` holds a phone in clear only on rows written before migration
//! 0025 or by a store without keys, and [`Store::seal_phones`] seals those at every start.

use crate::crypto::{Context, DataKeys};
use crate::store::phones::{ORGANIZATION_PHONES, PhoneColumns};
use crate::store::{Actor, Store};

/// Where an organization's phone is sealed.
pub fn phone_context(seal_ref: &str) -> Context<'_> {
    ORGANIZATION_PHONES.context(seal_ref)
}

/// The columns an organization's phone is written to (see [`PhoneColumns::of`]).
pub(crate) fn phone_columns(
    keys: Option<&DataKeys>,
    phone: Option<&str>,
    seal_ref: Option<&str>,
) -> PhoneColumns {
    PhoneColumns::of(&ORGANIZATION_PHONES, keys, phone, seal_ref)
}

impl Store {
    /// Seals every organization's phone still in clear and, with `rotate` (`sheguan keys reseal`), re-seals
    /// every phone sealed under another key than the current one ([`Store::seal_phones_in`]). How many
    /// phones it sealed.
    pub async fn seal_phones(&self, keys: &DataKeys, actor: &Actor, rotate: bool) -> anyhow::Result<u64> {
        self.seal_phones_in(&ORGANIZATION_PHONES, keys, actor, rotate)
            .await
    }
}
