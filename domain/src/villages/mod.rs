//! 村（居）民委员会 — village- and community-level committees, the places that 百社进百村 serves.

use crate::label::labelled_enum;

labelled_enum! {
    /// What kind of committee a village-level unit is.
    pub enum VillageKind ("村级单位类型") keys_only {
        /// 村民委员会 — a rural village committee.
        Village => "village", "村委会", "Village";
        /// 居民委员会 / 社区 — an urban community committee.
        Community => "community", "社区居委会", "Community";
        /// Anything else the statistics list at village level (farms, special zones).
        Other => "other", "其他", "Other";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_wire_name() {
        for kind in VillageKind::ALL {
            assert_eq!(VillageKind::parse(kind.key()), Some(kind));
        }
        assert_eq!(VillageKind::parse("town"), None);
    }
}
