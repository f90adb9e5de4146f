//! The home page's first paint: `cargo xtask dist` draws it into the public bundle's `home.html` from
//! `frontend/prerender/home.html`, so a phone shows the page before the app has arrived. That file must be
//! what the app itself draws for a visitor while the page's data is on its way; this check renders it
//! again and fails when they differ.

use std::path::PathBuf;

use tests::browser::Browser;

/// Set to refresh the copy instead of failing: `SHEGUAN_UPDATE_PRERENDER=1 cargo xtask test`.
const UPDATE: &str = "SHEGUAN_UPDATE_PRERENDER";

pub async fn is_what_the_app_draws(browser: &Browser) {
    browser.hold_api_requests(true).await;
    browser.goto("/").await;
    // The home page's figures wait for the API: the page is drawn, its data is not.
    browser.find("main .notice--loading").await;
    browser.find_text("main h1", "社").await;
    let drawn = browser
        .execute("return document.body.innerHTML", Vec::new())
        .await;
    let drawn = drawn.as_str().expect("the body's HTML").trim().to_owned();
    browser.hold_api_requests(false).await;
    // Leave the page whose requests are held.
    browser.goto("/villages").await;
    browser.find("[data-testid=villages-table]").await;

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let kept_path = root.join("frontend/prerender/home.html");
    let kept = std::fs::read_to_string(&kept_path).unwrap_or_default();
    if kept.trim() == drawn {
        return;
    }
    if std::env::var_os(UPDATE).is_some() {
        std::fs::write(&kept_path, format!("{drawn}\n")).expect("write the home page's first paint");
        return;
    }
    let fresh = root.join("target/prerender/home.html");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    std::fs::write(&fresh, format!("{drawn}\n")).unwrap();
    panic!(
        "the home page's first paint ({}) is not what the app draws: the app's is in {}; copy it over \
         (or run with {UPDATE}=1) and rebuild the app",
        kept_path.display(),
        fresh.display()
    );
}
