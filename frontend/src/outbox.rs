//! The offline outbox of the contribution ledger, in IndexedDB (database `sheguan`, store `outbox`).
//!
//! A submitted entry is written here first — with its evidence files (their bytes) and a client-generated
//! idempotency key — and removed only once the server has it all. Sending starts when the app starts for
//! an organization user, when an entry is added, when the browser says it is `online` again, and after a
//! failure with a growing delay (2 s, 4 s, … up to 30 s). Each item goes out as:
//!
//! 1. `POST /contributions` with its `Idempotency-Key` (as a draft when it has files): a repeat answers with
//!    the entry recorded the first time, so a lost answer never makes a second entry;
//! 2. each file the entry does not have yet (matched by name and size, so a lost upload answer is not
//!    uploaded twice);
//! 3. `POST /contributions/{id}/submit` when it went out as a draft.
//!
//! A network failure keeps the item for the next try; a refusal by the server (bad input) keeps it too,
//! marked with the server's message, until the user discards it.
//!
//! Each item names the user who made it: on a phone shared by two organization users, each sees and sends
//! only their own reports (the others wait for their author's next sign-in).

use std::cell::{Cell, RefCell};
use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::api::{Contribution, CreateContributionRequest};
use domain::contributions::ContributionStatus;
use domain::policy::Role;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::api;
use crate::session::{Session, use_session};

const DATABASE: &str = "sheguan";
const STORE: &str = "outbox";
const VERSION: u32 = 1;
/// The first retry delay; it doubles after each failure up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_secs(2);
const MAX_DELAY: Duration = Duration::from_secs(30);

/// An evidence file waiting with its entry (its bytes are kept beside this description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxFile {
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// An entry waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The idempotency key, also the IndexedDB key.
    pub key: String,
    pub queued_at: DateTime<Utc>,
    pub request: CreateContributionRequest,
    pub files: Vec<OutboxFile>,
    /// The server's entry, once it has answered.
    #[serde(default)]
    pub entry_id: Option<i64>,
    /// The server refused it: its message. Not retried; the user discards it.
    #[serde(default)]
    pub refused: Option<String>,
    /// Who made it (items queued before this was kept have none: they go with whoever signs in).
    #[serde(default)]
    pub user_id: Option<i64>,
}

impl OutboxItem {
    /// Whether `user` may see and send this item.
    fn belongs_to(&self, user: Option<i64>) -> bool {
        user.is_some() && self.user_id.is_none_or(|id| Some(id) == user)
    }
}

/// A file to queue: its description and content.
#[derive(Debug, Clone)]
pub struct QueuedFile {
    pub file: OutboxFile,
    pub bytes: Vec<u8>,
}

/// The outbox for the views: what is waiting, and whether a send is under way.
#[derive(Debug, Clone, Copy)]
pub struct Outbox {
    items: RwSignal<Vec<OutboxItem>>,
    sending: RwSignal<bool>,
    /// The last entry the server accepted from the outbox (the report page shows it).
    last_sent: RwSignal<Option<Contribution>>,
    /// IndexedDB is unavailable (a private window of some browsers): why.
    unavailable: RwSignal<Option<String>>,
    session: Session,
}

impl Outbox {
    pub fn items(&self) -> Vec<OutboxItem> {
        self.items.get()
    }

    /// How many entries are waiting (refused ones included).
    pub fn count(&self) -> usize {
        self.items.with(Vec::len)
    }

    pub fn is_sending(&self) -> bool {
        self.sending.get()
    }

    pub fn last_sent(&self) -> Option<Contribution> {
        self.last_sent.get()
    }

    pub fn unavailable(&self) -> Option<String> {
        self.unavailable.get()
    }

    /// Stores an entry with its files, then starts sending.
    pub async fn add(
        &self,
        request: CreateContributionRequest,
        files: Vec<QueuedFile>,
    ) -> Result<(), String> {
        let item = OutboxItem {
            key: new_key(),
            queued_at: crate::format::now(),
            request,
            files: files.iter().map(|f| f.file.clone()).collect(),
            entry_id: None,
            refused: None,
            user_id: self.user_id(),
        };
        let bytes: Vec<Vec<u8>> = files.into_iter().map(|f| f.bytes).collect();
        put(&item, Some(&bytes)).await.map_err(describe)?;
        self.reload().await;
        self.flush();
        Ok(())
    }

    /// Removes a refused item the user gave up on.
    pub async fn discard(&self, key: &str) {
        if let Err(e) = delete(key).await {
            self.unavailable.set(Some(describe(e)));
        }
        self.reload().await;
    }

    fn user_id(&self) -> Option<i64> {
        self.session.user_untracked().map(|me| me.user_id)
    }

    /// Re-reads the signed-in user's items from the store into the signal.
    async fn reload(&self) {
        let user = self.user_id();
        match read_all().await {
            Ok(items) => self.items.set(
                items
                    .into_iter()
                    .map(|(item, _)| item)
                    .filter(|item| item.belongs_to(user))
                    .collect(),
            ),
            Err(e) => self.unavailable.set(Some(describe(e))),
        }
    }

    /// Starts sending what is waiting, unless a send is already under way (it then goes round once more).
    pub fn flush(&self) {
        if FLUSHING.with(Cell::get) {
            AGAIN.with(|a| a.set(true));
            return;
        }
        FLUSHING.with(|f| f.set(true));
        let this = *self;
        leptos::task::spawn_local(async move {
            this.sending.set(true);
            loop {
                AGAIN.with(|a| a.set(false));
                let outcome = this.send_all().await;
                this.reload().await;
                match outcome {
                    Outcome::Done => {
                        ATTEMPTS.with(|a| a.set(0));
                        if !AGAIN.with(Cell::get) {
                            break;
                        }
                    }
                    Outcome::Later => {
                        this.retry_later();
                        break;
                    }
                    Outcome::SignedOut => break,
                }
            }
            this.sending.set(false);
            FLUSHING.with(|f| f.set(false));
        });
    }

    /// Schedules the next try: 2 s, 4 s, 8 s, … at most 30 s after the last failure.
    fn retry_later(&self) {
        let attempts = ATTEMPTS.with(|a| {
            let n = a.get();
            a.set(n.saturating_add(1));
            n
        });
        let delay = FIRST_DELAY.saturating_mul(1u32 << attempts.min(8)).min(MAX_DELAY);
        let this = *self;
        TIMER.with(|t| {
            if let Some(handle) = t.borrow_mut().take() {
                handle.clear();
            }
        });
        let handle = set_timeout_with_handle(move || this.flush(), delay).ok();
        TIMER.with(|t| *t.borrow_mut() = handle);
    }

    async fn send_all(&self) -> Outcome {
        let items = match read_all().await {
            Ok(items) => items,
            Err(e) => {
                self.unavailable.set(Some(describe(e)));
                return Outcome::Done;
            }
        };
        let user = self.user_id();
        for (mut item, bytes) in items {
            if item.refused.is_some() || !item.belongs_to(user) {
                continue;
            }
            match send_one(&mut item, &bytes).await {
                Sent::Complete(entry) => {
                    if delete(&item.key).await.is_err() {
                        return Outcome::Later;
                    }
                    self.last_sent.set(Some(*entry));
                }
                Sent::Refused(message) => {
                    item.refused = Some(message);
                    let _ = put(&item, None).await;
                }
                Sent::Network => {
                    let _ = put(&item, None).await;
                    return Outcome::Later;
                }
                Sent::SignedOut => return Outcome::SignedOut,
            }
        }
        Outcome::Done
    }
}

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static ATTEMPTS: Cell<u32> = const { Cell::new(0) };
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

enum Outcome {
    /// Everything that can be sent was sent.
    Done,
    /// The network (or the server) failed: try again later.
    Later,
    /// No session: wait for a sign-in.
    SignedOut,
}

enum Sent {
    Complete(Box<Contribution>),
    Refused(String),
    Network,
    SignedOut,
}

fn classify(error: api::Error) -> Sent {
    match error {
        api::Error::Fetch(_) => Sent::Network,
        api::Error::Api {
            status: 401 | 403, ..
        } => Sent::SignedOut,
        api::Error::Api { status, .. } if status >= 500 || status == 429 => Sent::Network,
        api::Error::Api { error, .. } => Sent::Refused(error.error.message),
    }
}

/// Sends one item: the entry (idempotently), the files it does not have yet, then the submission.
async fn send_one(item: &mut OutboxItem, bytes: &[Uint8Array]) -> Sent {
    // With files it goes out as a draft first: evidence can only be attached before the review.
    let request = CreateContributionRequest {
        entry: item.request.entry.clone(),
        draft: !item.files.is_empty(),
    };
    let entry = match api::create_contribution(&request, &item.key).await {
        Ok(entry) => entry,
        Err(e) => return classify(e),
    };
    item.entry_id = Some(entry.id);
    let mut present: Vec<(String, i64)> = entry
        .evidence
        .iter()
        .map(|e| (e.original_name.clone(), e.size_bytes))
        .collect();
    for (file, data) in item.files.iter().zip(bytes) {
        if let Some(at) = present
            .iter()
            .position(|(name, size)| *name == file.name && *size == file.size)
        {
            present.remove(at);
            continue;
        }
        if entry.status.check_editable().is_err() {
            // Already sent for review by an earlier try: nothing more may be attached.
            break;
        }
        let blob = match to_blob(data, &file.content_type) {
            Ok(blob) => blob,
            Err(e) => return Sent::Refused(describe(e)),
        };
        if let Err(e) = api::upload_evidence(entry.id, &blob, &file.name).await {
            return classify(e);
        }
    }
    if entry.status == ContributionStatus::Draft {
        return match api::submit_contribution(entry.id).await {
            Ok(entry) => Sent::Complete(Box::new(entry)),
            Err(e) => classify(e),
        };
    }
    Sent::Complete(Box::new(entry))
}

fn to_blob(data: &Uint8Array, content_type: &str) -> Result<web_sys::Blob, JsValue> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(content_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&Array::of1(data), &bag)
}

/// A fresh idempotency key.
fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("t{}", crate::format::now().timestamp_micros()))
}

/// Sets up the outbox for the app: shows what is waiting, and sends it for an organization user — now,
/// at each sign-in, and whenever the browser is back online.
pub fn provide_outbox() -> Outbox {
    let outbox = Outbox {
        items: RwSignal::new(Vec::new()),
        sending: RwSignal::new(false),
        last_sent: RwSignal::new(None),
        unavailable: RwSignal::new(None),
        session: use_session(),
    };
    provide_context(outbox);
    let session = outbox.session;
    Effect::new(move |_| {
        if session.role() == Some(Role::OrgUser) {
            leptos::task::spawn_local(async move {
                outbox.reload().await;
                if outbox.items.with_untracked(|items| !items.is_empty()) {
                    outbox.flush();
                }
            });
        } else {
            outbox.items.set(Vec::new());
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        if untrack(|| session.role()) == Some(Role::OrgUser) {
            ATTEMPTS.with(|a| a.set(0));
            outbox.flush();
        }
    });
    // The app lives as long as the page: the listener too.
    std::mem::forget(online);
    outbox
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

// --- IndexedDB ---------------------------------------------------------------------------------------

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// A promise settled by the request's `success` / `error` events.
fn request_done(request: &IdbRequest) -> Promise {
    Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    })
}

/// A promise settled when the transaction commits (`complete`) or fails (`error`, `abort`).
fn committed(tx: &IdbTransaction) -> Promise {
    Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    })
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request = factory.open_with_u32(DATABASE, VERSION)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let db = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db
            && !db.object_store_names().contains(STORE)
        {
            let parameters = IdbObjectStoreParameters::new();
            parameters.set_key_path(&JsValue::from_str("key"));
            let _ = db.create_object_store_with_optional_parameters(STORE, &parameters);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let done = request_done(&request);
    JsFuture::from(done).await?;
    // `upgradeneeded` comes before `success`: the closure is no longer needed.
    drop(upgrade);
    request.result()?.dyn_into::<IdbDatabase>()
}

/// Writes an item; with `files`, its file contents too (otherwise the stored ones are kept).
async fn put(item: &OutboxItem, files: Option<&[Vec<u8>]>) -> Result<(), JsValue> {
    let db = open().await?;
    let stored_files = match files {
        Some(files) => {
            let array = Array::new();
            for bytes in files {
                array.push(&Uint8Array::from(bytes.as_slice()));
            }
            array
        }
        None => {
            let all = read_all_on(&db).await?;
            let array = Array::new();
            if let Some((_, bytes)) = all.into_iter().find(|(i, _)| i.key == item.key) {
                for data in bytes {
                    array.push(&data);
                }
            }
            array
        }
    };
    let record = Object::new();
    Reflect::set(&record, &"key".into(), &item.key.as_str().into())?;
    let meta = serde_json::to_string(item).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Reflect::set(&record, &"meta".into(), &meta.into())?;
    Reflect::set(&record, &"files".into(), &stored_files)?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    tx.object_store(STORE)?.put(&record)?;
    JsFuture::from(done).await?;
    db.close();
    Ok(())
}

async fn delete(key: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    tx.object_store(STORE)?.delete(&JsValue::from_str(key))?;
    JsFuture::from(done).await?;
    db.close();
    Ok(())
}

/// Every waiting item with its file contents, oldest first.
async fn read_all() -> Result<Vec<(OutboxItem, Vec<Uint8Array>)>, JsValue> {
    let db = open().await?;
    let items = read_all_on(&db).await;
    db.close();
    items
}

async fn read_all_on(db: &IdbDatabase) -> Result<Vec<(OutboxItem, Vec<Uint8Array>)>, JsValue> {
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?;
    let done = committed(&tx);
    let request = tx.object_store(STORE)?.get_all()?;
    JsFuture::from(done).await?;
    let records: Array = request.result()?.dyn_into()?;
    let mut items = Vec::new();
    for record in records.iter() {
        let meta = Reflect::get(&record, &"meta".into())?
            .as_string()
            .unwrap_or_default();
        let Ok(item) = serde_json::from_str::<OutboxItem>(&meta) else {
            continue;
        };
        let files = Reflect::get(&record, &"files".into())?
            .dyn_into::<Array>()
            .map(|a| a.iter().filter_map(|f| f.dyn_into::<Uint8Array>().ok()).collect())
            .unwrap_or_default();
        items.push((item, files));
    }
    items.sort_by_key(|(item, _)| item.queued_at);
    Ok(items)
}
