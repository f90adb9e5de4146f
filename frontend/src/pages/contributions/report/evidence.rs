//! The evidence files of a report: chosen on the phone (the camera first), checked as the server will.

use domain::evidence::{EvidenceType, MAX_EVIDENCE_BYTES};
use leptos::prelude::*;

use crate::i18n::{I18n, use_i18n};
use crate::outbox::{OutboxFile, QueuedFile};

/// The most evidence files one report may carry (the server's limit for one upload).
const MAX_FILES: usize = 5;

/// The file input and the message about the files chosen.
#[component]
pub(super) fn EvidenceField(
    file_input: NodeRef<leptos::html::Input>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t("contributions.evidence")}</span>
            <input node_ref=file_input name="file" type="file" multiple accept="image/*,application/pdf" capture="environment"
                on:change=move |_| error.set(None) />
            {move || error.get().map(|m| view! { <small class="field__error" role="alert">{m}</small> })}
        </label>
    }
}

/// Reads the files chosen in `input` and checks each as the server will: by content, up to 10 MB.
pub(super) async fn chosen_files(
    input: Option<web_sys::HtmlInputElement>,
    i18n: I18n,
) -> Result<Vec<QueuedFile>, String> {
    let Some(list) = input.and_then(|i| i.files()) else {
        return Ok(Vec::new());
    };
    if list.length() as usize > MAX_FILES {
        return Err(i18n.t_with(
            "contributions.too_many_files",
            &[("count", MAX_FILES.to_string())],
        ));
    }
    let mut files = Vec::new();
    for index in 0..list.length() {
        let Some(file) = list.get(index) else { continue };
        if file.size() > MAX_EVIDENCE_BYTES as f64 {
            return Err(i18n.t_with("contributions.file_too_large", &[("name", file.name())]));
        }
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| i18n.t_with("contributions.file_unreadable", &[("name", file.name())]))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let Some(file_type) = EvidenceType::sniff(&bytes) else {
            return Err(i18n.t_with("contributions.file_type", &[("name", file.name())]));
        };
        files.push(QueuedFile {
            file: OutboxFile {
                name: file.name().chars().take(120).collect(),
                content_type: file_type.content_type().to_owned(),
                size: bytes.len() as i64,
            },
            bytes,
        });
    }
    Ok(files)
}
