//! What every handler can reach.

use std::path::PathBuf;
use std::sync::Arc;

use crate::crypto::DataKeys;

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

/// Configuration that handlers consult.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether the demo data set (and its accounts) is enabled.
    pub demo: bool,
    /// Whether the session cookie is `Secure` (off only for local HTTP).
    pub secure_cookies: bool,
    /// The keys of personal data at rest.
    pub keys: DataKeys,
    /// Where evidence files are stored.
    pub evidence_dir: PathBuf,
}
