//! The app in English: the bureau administrator and an organization user switch the language and walk every
//! page (each `Page` and the detail pages); no label, heading, button, table header, option or badge shows
//! Chinese. Names from the data (organizations, villages, divisions, people, rounds) may stay Chinese, so the
//! walk reads only the elements whose text comes from the locale files and the domain's labels.

use chrono::Datelike;
use serde_json::{Value, json};
use tests::browser::{Browser, Viewport};

use super::{sign_in, sign_out};

/// The elements whose text is the app's own words. Selects of divisions list place names (data), and the
/// registration certificate's title is the document's own (skipped in `CHINESE_LABELS`).
const LABELS: &str = "main h2, main h3, main h4, main th, main label > span, main label.choice, main dt, \
    main summary, main .badge, main option, main button:not(.link-button), main .pager, \
    nav.app-nav a:not(.app-nav__user), [data-testid=audit-row] .record__head";

const CHINESE_LABELS: &str = r#"
    const cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
    const found = [];
    for (const el of document.querySelectorAll(arguments[0])) {
        if (el.closest('select[name*=city], select[name*=county], select[name*=division]')) continue;
        // The certificate's title is the official document's, as the server sends it.
        if (el.matches('[data-testid=certificate] > h3')) continue;
        // The needs form is headed by the village's name and code.
        if (el.matches('[data-testid=needs-form] h3, h3:has(+ [data-testid=needs-form])')) continue;
        const text = el.textContent.trim();
        if (cjk.test(text)) found.push(`${el.tagName.toLowerCase()}.${el.className}: ${text.slice(0, 80)}`);
    }
    return found;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_english_shows_no_chinese_label() {
    let browser = Browser::open_demo(Viewport::Desktop).await;
    sign_in(&browser, "demo-admin").await;
    let switch = browser.find("button.lang-switch").await;
    switch.click().await.expect("switch to English");
    browser
        .wait_until("English", "return document.documentElement.lang === 'en'", vec![])
        .await;

    for path in [
        "/",
        "/villages",
        "/lookup?q=%E5%AE%89%E5%BE%BD",
        "/account",
        "/admin/users",
        "/admin/audit",
        "/organizations",
        "/organizations/import",
        "/matters",
        "/matters/new",
        "/rounds",
        "/contributions",
        "/contributions/duplicates",
        "/jobs",
        "/jobs?all=true",
        "/inspection",
        "/inspection/cycles",
        "/credit-listings",
        "/credit-lists",
        "/credit-lists?list=serious",
        "/dormant",
        "/fees",
        "/fees/new",
        "/fees/inspections",
        "/publication/on-time?period=2021",
        "/illegal-organizations",
        "/illegal-organizations/report",
        "/petition",
        "/petition/progress",
        "/illegal",
        "/illegal/batches",
        "/petitions",
        "/penalties",
    ] {
        visit(&browser, path).await;
    }
    for list in [
        "/villages",
        "/organizations",
        "/matters",
        "/rounds",
        "/contributions?counted=true",
        "/inspection",
        "/credit-listings",
        "/fees",
        "/fees/inspections",
        format!("/fees?year={}", chrono::Utc::now().year() - 1).as_str(),
        "/publication",
        "/illegal",
        "/petitions",
        "/penalties",
    ] {
        let detail = first_detail_link(&browser, list).await;
        visit(&browser, &detail).await;
        // The round page's needs editor: pick a village so that its form (needs, priority classes) shows.
        if detail.starts_with("/rounds/") {
            open_needs_form(&browser).await;
            assert_english(&browser, &detail).await;
        }
    }
    sign_out(&browser).await;

    sign_in(&browser, "demo-org").await;
    for path in [
        "/my/pairings",
        "/contributions",
        "/matters/new",
        "/account",
        "/jobs",
        "/inspection",
        "/credit-listings",
    ] {
        visit(&browser, path).await;
    }
    // The report form in every kind (expo roles, scholarship admission kinds).
    visit(&browser, "/contributions").await;
    for kind in ["expo", "scholarship"] {
        browser
            .execute(
                "const s = document.querySelector('select[name=kind]'); s.value = arguments[0]; \
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![json!(kind)],
            )
            .await;
        assert_english(&browser, &format!("/contributions ({kind})")).await;
    }
    let round = first_detail_link(&browser, "/rounds").await;
    visit(&browser, &round).await;
}

/// Opens `path`, waits until it has loaded, and checks it.
async fn visit(browser: &Browser, path: &str) {
    browser.goto(path).await;
    browser.find("main h1").await;
    browser
        .wait_until(
            &format!("{path} loaded"),
            "return document.querySelector('.notice--loading') === null",
            vec![],
        )
        .await;
    assert_english(browser, path).await;
}

async fn assert_english(browser: &Browser, path: &str) {
    let found = browser.execute(CHINESE_LABELS, vec![json!(LABELS)]).await;
    let found: Vec<String> = match found {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        other => panic!("{path}: unexpected answer {other}"),
    };
    assert!(
        found.is_empty(),
        "{path} shows Chinese in English:\n{}",
        found.join("\n")
    );
    let name: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    browser.checkpoint(&format!("english{name}")).await;
}

/// The first link from `list` to one of its records.
async fn first_detail_link(browser: &Browser, list: &str) -> String {
    browser.goto(list).await;
    let prefix = list.split('?').next().unwrap_or(list).to_owned();
    browser
        .eventually(&format!("a record linked from {list}"), async || {
            let href = browser
                .execute(
                    "const a = [...document.querySelectorAll('main a[href]')] \
                       .map(a => a.getAttribute('href')) \
                       .find(h => new RegExp('^' + arguments[0] + '/[0-9]+$').test(h)); \
                     return a || null;",
                    vec![json!(prefix)],
                )
                .await;
            href.as_str().map(str::to_owned)
        })
        .await
}

async fn open_needs_form(browser: &Browser) {
    let opened = browser
        .execute(
            "const d = document.querySelector('[data-testid=needs-editor]'); if (!d) return false; d.open = true; \
             return true;",
            vec![],
        )
        .await;
    if opened == Value::Bool(true) {
        let village = browser
            .find("[data-testid=needs-village] button.link-button")
            .await;
        village.click().await.expect("pick a village");
        browser.find("[data-testid=needs-form]").await;
    }
}
