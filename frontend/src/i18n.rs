//! Languages: Simplified Chinese first, English second. Strings come from `locales/<lang>/*.json` (merged
//! by `build.rs`, one file per feature); the choice
//! is remembered in the browser and reflected in `<html lang>`.

use std::collections::HashMap;
use std::sync::OnceLock;

use domain::label::Labelled;
use leptos::prelude::*;

const STORAGE_KEY: &str = "sheguan.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn other(self) -> Self {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }
}

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static ZH_CN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, source) = match lang {
        Lang::ZhCn => (&ZH_CN, include_str!(concat!(env!("OUT_DIR"), "/zh-CN.json"))),
        Lang::En => (&EN, include_str!(concat!(env!("OUT_DIR"), "/en.json"))),
    };
    // The locale files are checked by the test suite (same keys, valid JSON), so this cannot fail at run time.
    cell.get_or_init(|| serde_json::from_str(source).unwrap_or_default())
}

/// The string for `key` in `lang`; Chinese if the English file lacks it; the key itself as a last resort.
pub fn translate(lang: Lang, key: &str) -> String {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::ZhCn).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The app's language, in context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The string for `key` in the current language (reactive when called inside a closure).
    pub fn t(&self, key: &str) -> String {
        translate(self.lang.get(), key)
    }

    /// As `t`, with `{name}` placeholders filled in.
    pub fn t_with(&self, key: &str, args: &[(&str, String)]) -> String {
        args.iter().fold(self.t(key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }

    /// A domain value's label in the current language (the domain holds both; reactive inside a closure).
    pub fn label<T: Labelled>(&self, value: T) -> &'static str {
        match self.lang.get() {
            Lang::ZhCn => value.label_zh(),
            Lang::En => value.label_en(),
        }
    }

    /// Several values' labels, joined as the language lists them.
    pub fn labels<T: Labelled>(&self, values: &[T]) -> String {
        let separator = match self.lang.get() {
            Lang::ZhCn => "、",
            Lang::En => ", ",
        };
        values
            .iter()
            .map(|&v| self.label(v))
            .collect::<Vec<_>>()
            .join(separator)
    }

    pub fn toggle(&self) {
        self.lang.update(|lang| *lang = lang.other());
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Puts the language in context: the remembered one, else Chinese.
pub fn provide_i18n() {
    let saved = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let lang = RwSignal::new(saved.as_deref().and_then(Lang::from_tag).unwrap_or(Lang::ZhCn));
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        document().set_title(&translate(lang, "app.name"));
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
    });
    provide_context(I18n { lang });
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
