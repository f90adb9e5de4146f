//! 村（居）民委员会 — village- and community-level committees, the places that 百社进百村 serves.

use serde::{Deserialize, Serialize};

/// What kind of committee a village-level unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VillageKind {
    /// 村民委员会 — a rural village committee.
    Village,
    /// 居民委员会 / 社区 — an urban community committee.
    Community,
    /// Anything else the statistics list at village level (farms, special zones).
    Other,
}

impl VillageKind {
    pub const ALL: [VillageKind; 3] = [VillageKind::Village, VillageKind::Community, VillageKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            VillageKind::Village => "village",
            VillageKind::Community => "community",
            VillageKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_wire_name() {
        for kind in VillageKind::ALL {
            assert_eq!(VillageKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(VillageKind::parse("town"), None);
    }
}
