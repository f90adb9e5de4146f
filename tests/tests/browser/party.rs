//! Party building on a phone, through the UI only: the bureau approves a functional branch and the
//! province's coverage moves (the 组建率's entity branches stay), drillable to the organization; a batch
//! is dispatched and the demo instructor assigned an organization; the instructor logs a visit to it in a
//! few taps and cannot open any other organization; the bureau evaluates the instructor at the term's end.

use chrono::Days;
use serde_json::json;
use tests::browser::{Browser, Viewport};

use super::{sign_in, sign_out};

/// The number of a link, read from the page.
async fn count(browser: &Browser, css: &str) -> u64 {
    browser.find(css).await;
    let text = browser
        .execute(
            "return document.querySelector(arguments[0]).textContent",
            vec![json!(css)],
        )
        .await;
    text.as_str()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| panic!("{css}: {text}"))
}

const COVERED: &str = "[data-testid=coverage-total] [data-testid=drill-covered]";
const ENTITY: &str = "[data-testid=coverage-total] [data-testid=drill-entity]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_approve_a_branch_and_an_instructor_visits_on_a_phone() {
    let browser = Browser::open_demo(Viewport::Phone).await;
    let admin = browser.app.signed_in_as("demo-admin").await;
    let today = sheguan::state::today();
    sign_in(&browser, "demo-admin").await;

    // The province's provincial organizations, then the first application waiting is approved.
    browser
        .find("[data-testid=nav-party]")
        .await
        .click()
        .await
        .expect("open party building");
    browser.goto("/party?level=provincial").await;
    let covered = count(&browser, COVERED).await;
    let entity = count(&browser, ENTITY).await;
    let first = "[data-testid=pending-approvals] [data-testid=pending-approval]";
    let name = browser
        .find(&format!("{first} strong"))
        .await
        .text()
        .await
        .expect("its name");
    browser.checkpoint("party-before").await;
    browser
        .find(&format!("{first} [data-testid=approve]"))
        .await
        .click()
        .await
        .expect("approve");
    browser
        .wait_until(
            "the coverage to move",
            "return document.querySelector(arguments[0])?.textContent.trim() === String(arguments[1])",
            vec![json!(COVERED), json!(covered + 1)],
        )
        .await;
    assert_eq!(count(&browser, ENTITY).await, entity);
    browser.checkpoint("party-approved").await;

    // Drill down: the organizations behind the number, the one approved among them.
    browser.find(COVERED).await.click().await.expect("drill down");
    browser
        .find_text("[data-testid=drill-total]", &(covered + 1).to_string())
        .await;
    let q = browser.type_into("input[name=q]", &name).await;
    browser.press_enter(&q).await;
    browser.find_text("[data-testid=drill-list]", &name).await;
    browser
        .find_text("[data-testid=drill-list] .badge", "功能型党支部")
        .await;
    browser.checkpoint("party-drill").await;

    // A batch ending today is dispatched; the demo instructor is assigned the organization approved.
    browser.goto("/party/batches").await;
    open_panel(&browser, "new-batch").await;
    browser
        .type_into("[data-testid=new-batch] input[name=number]", "99")
        .await;
    let start = today - Days::new(300);
    set_date(
        &browser,
        "[data-testid=new-batch] input[name=term_start]",
        &start.to_string(),
    )
    .await;
    set_date(
        &browser,
        "[data-testid=new-batch] input[name=term_end]",
        &today.to_string(),
    )
    .await;
    browser
        .find("[data-testid=new-batch] button[type=submit]")
        .await
        .click()
        .await
        .expect("dispatch");
    browser.find_text("[data-testid=batches]", "第99批").await;
    browser
        .find_xpath("//li[@data-testid='batch'][.//strong[normalize-space()='第99批']]//a")
        .await
        .click()
        .await
        .expect("open the batch");
    browser.find_text("main h1", "第99批").await;
    open_panel(&browser, "assign-form").await;
    browser
        .choose("instructor", "党建指导员（演示） (demo-instructor)")
        .await;
    browser
        .type_into("[data-testid=assign-organization] input[type=search]", &name)
        .await;
    browser
        .find_text("[data-testid=picker-result]", &name)
        .await
        .click()
        .await
        .expect("pick it");
    browser
        .find_text("[data-testid=assigned-organizations]", &name)
        .await;
    browser
        .find("[data-testid=assign-form] button[type=submit]")
        .await
        .click()
        .await
        .expect("assign");
    browser.find_text("[data-testid=batch-instructors]", &name).await;
    browser.checkpoint("party-batch-assigned").await;
    sign_out(&browser).await;

    // The instructor logs a visit in a few taps.
    sign_in(&browser, "demo-instructor").await;
    browser
        .find("[data-testid=nav-workspace]")
        .await
        .click()
        .await
        .expect("open the workspace");
    let card = format!("//li[@data-testid='my-organization'][.//strong[normalize-space()='{name}']]");
    browser
        .find_xpath(&format!("{card}//button[@data-testid='log-visit']"))
        .await
        .click()
        .await
        .expect("log a visit");
    browser
        .find_xpath(&format!("{card}//button[@data-testid='quick-note']"))
        .await
        .click()
        .await
        .expect("what was done");
    browser
        .find_xpath(&format!("{card}//button[@type='submit']"))
        .await
        .click()
        .await
        .expect("save");
    browser.find_text("[data-testid=my-visits]", &name).await;
    browser.checkpoint("party-workspace").await;

    // Any other organization is not found.
    let other = admin
        .coverage_organizations("q=%E5%90%88%E8%82%A5%E5%B8%82%E5%85%BB%E8%80%81")
        .await
        .unwrap();
    browser
        .goto(&format!(
            "/party/organizations/{}",
            other.items[0].organization_id
        ))
        .await;
    browser.find(".notice--error").await;
    browser
        .drain_console_allowing("the refused organization", |entry| entry.contains("404"))
        .await;
    browser.checkpoint("party-not-assigned").await;
    sign_out(&browser).await;

    // The bureau evaluates the instructor: the term has ended today.
    sign_in(&browser, "demo-admin").await;
    browser.goto("/party/batches").await;
    browser
        .find_xpath("//li[@data-testid='batch'][.//strong[normalize-space()='第99批']]//a")
        .await
        .click()
        .await
        .expect("open the batch");
    browser.choose("rating", "优秀").await;
    browser
        .type_into(
            "[data-testid=evaluate-form] textarea[name=reasons]",
            "按期走访，指导规范",
        )
        .await;
    browser
        .find("[data-testid=evaluate-form] button[type=submit]")
        .await
        .click()
        .await
        .expect("evaluate");
    browser.find_text("[data-testid=rating]", "优秀").await;
    browser
        .find_text("[data-testid=batch-counts]", "已考核 1 名（优秀 1 名）")
        .await;
    browser.checkpoint("party-evaluated").await;
}

/// Sets a date input the way a date picker does.
async fn set_date(browser: &Browser, css: &str, value: &str) {
    browser
        .execute(
            "const i = document.querySelector(arguments[0]); i.value = arguments[1]; \
             i.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await;
}

/// Opens the folded panel of the form `testid`, once the page shows it.
async fn open_panel(browser: &Browser, testid: &str) {
    browser
        .wait_until(
            testid,
            "const f = document.querySelector(`[data-testid=${arguments[0]}]`); if (!f) return false; \
             f.closest('details').open = true; return true;",
            vec![json!(testid)],
        )
        .await;
}
