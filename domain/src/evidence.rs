//! 佐证材料 — evidence files (receipt photos, PDFs): which types are accepted, recognised by their
//! content (magic bytes), never by their name.

use serde::{Deserialize, Serialize};

/// The largest evidence file accepted: 10 MB.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// An accepted evidence type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceType {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
}

impl EvidenceType {
    pub fn content_type(self) -> &'static str {
        match self {
            EvidenceType::Jpeg => "image/jpeg",
            EvidenceType::Png => "image/png",
            EvidenceType::Webp => "image/webp",
            EvidenceType::Heic => "image/heic",
            EvidenceType::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            EvidenceType::Jpeg => "jpg",
            EvidenceType::Png => "png",
            EvidenceType::Webp => "webp",
            EvidenceType::Heic => "heic",
            EvidenceType::Pdf => "pdf",
        }
    }

    pub fn from_content_type(raw: &str) -> Option<EvidenceType> {
        [
            EvidenceType::Jpeg,
            EvidenceType::Png,
            EvidenceType::Webp,
            EvidenceType::Heic,
            EvidenceType::Pdf,
        ]
        .into_iter()
        .find(|t| t.content_type() == raw)
    }

    /// The type the first bytes of a file show, if it is one we accept.
    pub fn sniff(bytes: &[u8]) -> Option<EvidenceType> {
        const HEIF_BRANDS: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
        ];
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(EvidenceType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(EvidenceType::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(EvidenceType::Webp)
        } else if bytes.len() >= 12
            && &bytes[4..8] == b"ftyp"
            && HEIF_BRANDS.iter().any(|brand| &bytes[8..12] == *brand)
        {
            Some(EvidenceType::Heic)
        } else if bytes.starts_with(b"%PDF-") {
            Some(EvidenceType::Pdf)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_content_not_their_name() {
        assert_eq!(
            EvidenceType::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(EvidenceType::Jpeg)
        );
        assert_eq!(
            EvidenceType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(EvidenceType::Png)
        );
        assert_eq!(
            EvidenceType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(EvidenceType::Webp)
        );
        assert_eq!(
            EvidenceType::sniff(b"\0\0\0\x18ftypheic\0\0"),
            Some(EvidenceType::Heic)
        );
        assert_eq!(EvidenceType::sniff(b"%PDF-1.7\n"), Some(EvidenceType::Pdf));
        assert_eq!(
            EvidenceType::sniff(b"just some text pretending to be a jpg"),
            None
        );
        assert_eq!(EvidenceType::sniff(b""), None);
    }
}
