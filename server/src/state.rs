//! What every handler can reach.

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
}
