//! 双公示 on a phone, as the bureau administrator: a change of registration is approved in the browser and
//! its licensing decision 皖社许〔YYYY〕N号 appears in the outbox, due on the seventh working day of the
//! calendar; another decision, published by upload, is marked with its day (a day to come is refused,
//! naming the field); "push now" reaches the fake platform, which fails the first push; the item shows the
//! failure and its reason, is retried and reads confirmed by the platform; the on-time page shows the rate
//! and counts the API's on-time report gives.

use chrono::{Datelike, FixedOffset, NaiveDate, Utc};
use domain::api::{MatterSummary, OnTimeReport, OnTimeRow, PublicationItem};
use domain::calendar::WorkCalendar;
use domain::publication::due_on;
use domain::registry::matter::{ActionKind, MatterAction, MatterKind};
use serde_json::json;
use tests::TestApp;
use tests::browser::{Browser, Viewport};
use tests::publication::FakePlatform;

use super::{click, sign_in};

/// Sets an input (found by CSS) to a value, as picking a day in the date picker does.
const PICK: &str = "const el = document.querySelector(arguments[0]);
    el.value = arguments[1];
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return true;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_made_on_a_phone_is_pushed_fails_once_is_retried_and_counted_on_time() {
    let today = today_in_china();
    let platform = FakePlatform::start().await;
    platform.confirm_on(today);
    let url = platform.url.clone();
    let browser = Browser::open_demo_with(Viewport::Phone, |c| c.publication_endpoint = Some(url)).await;
    let admin = browser.app.signed_in_as("demo-admin").await;
    let decided_before = on_time_report(&admin).await.total.decided;
    let [matter, uploaded] = ready_to_approve(&admin).await;
    // The other decision, whose platform is reached by upload, is made through the API.
    let approved = admin
        .act_on_matter(uploaded.id, &MatterAction::Approve)
        .await
        .expect("approve the other matter");
    let uploaded_number = approved.decision.expect("a licensing decision").document_number;

    // The administrator approves the change under review; its decision is numbered.
    sign_in(&browser, "demo-admin").await;
    browser.goto("/matters").await;
    let link = format!("[data-testid=matters] a[href='/matters/{}']", matter.id);
    browser.find(&link).await.click().await.expect("open the matter");
    browser.find_text("[data-testid=matter-state]", "审查中").await;
    click(&browser, "[data-testid=action-approve]").await;
    browser.find_text("[data-testid=matter-state]", "准予登记").await;
    let notice = browser.find_text(".notice--ok", "皖社许〔").await;
    let number = document_number(&notice.text().await.unwrap(), today.year());
    browser.checkpoint("publication-approved").await;

    // The outbox lists its item, due on the seventh working day of the calendar.
    let due = due_on(today, &WorkCalendar::mainland_china());
    browser
        .find("[data-testid=nav-publication]")
        .await
        .click()
        .await
        .expect("open 双公示");
    let row = row_of(&number);
    let cells = row_cells(&browser, &row).await;
    assert_eq!(cells[2], today.to_string(), "decided today: {cells:?}");
    assert_eq!(cells[3], due.to_string(), "due on the calendar's day: {cells:?}");
    assert!(cells[4].contains("待推送"), "{cells:?}");
    browser.checkpoint("publication-outbox").await;

    // The other item is marked published by upload; a day to come is refused, naming the field.
    browser.find_xpath(&row_of(&uploaded_number)).await;
    let uploaded_item = item_numbered(&admin, &uploaded_number).await;
    browser.goto(&format!("/publication/{}", uploaded_item.id)).await;
    browser.find("[data-testid=publication-mark]").await;
    let tomorrow = today.succ_opt().unwrap();
    pick(
        &browser,
        "[data-testid=publication-mark] input[name=published_on]",
        tomorrow,
    )
    .await;
    browser
        .type_into(
            "[data-testid=publication-mark] input[name=note]",
            "2026 年第 12 批上传",
        )
        .await;
    click(&browser, "[data-testid=publication-mark] button[type=submit]").await;
    let refused = browser
        .find_text("[data-testid=publication-mark] .notice--error", "不能晚于今天")
        .await;
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("公示日期"), "the field is named: {refused}");
    browser
        .drain_console_allowing("a day to come", |m| m.contains("422"))
        .await;
    pick(
        &browser,
        "[data-testid=publication-mark] input[name=published_on]",
        today,
    )
    .await;
    click(&browser, "[data-testid=publication-mark] button[type=submit]").await;
    browser
        .find_text("[data-testid=publication-status]", "已手工公示")
        .await;
    let facts = browser.find("[data-testid=publication-item]").await;
    let facts = facts.text().await.unwrap();
    assert!(
        facts.contains(&today.to_string()) && facts.contains("第 12 批上传"),
        "{facts}"
    );
    browser.checkpoint("publication-marked").await;

    // Push now: every due item's push fails once (the platform is down), this decision's among them.
    let due_items = admin
        .list_publications("status=pending&per_page=100")
        .await
        .unwrap()
        .total;
    platform.fail_next(due_items as u32);
    browser.goto("/publication").await;
    click(&browser, "[data-testid=publication-push]").await;
    let done = browser.find("[data-testid=publication-push-done]").await;
    let summary = done.text().await.unwrap();
    assert!(summary.contains(&format!("失败 {due_items} 条")), "{summary}");
    // The list is read again once the run ends.
    let failed = format!("{}[td[5][contains(., '推送失败')]]", row_of(&number));
    browser.find_xpath(&failed).await;
    browser.checkpoint("publication-push-failed").await;

    // The item shows the failure and its reason; retried now, the platform takes and confirms it.
    browser
        .find_xpath(&format!("{}//a", row_of(&number)))
        .await
        .click()
        .await
        .expect("open the item");
    browser
        .find_text("[data-testid=publication-number]", &number)
        .await;
    let facts = browser.find("[data-testid=publication-item]").await;
    let facts = facts.text().await.unwrap();
    assert!(
        facts.contains("503") && facts.contains("平台维护中"),
        "the reason: {facts}"
    );
    browser
        .find_text("[data-testid=publication-attempts]", "HTTP 503")
        .await;
    browser.checkpoint("publication-item-failed").await;
    click(&browser, "[data-testid=publication-retry]").await;
    browser
        .find_text("[data-testid=publication-status]", "平台已确认")
        .await;
    let facts = browser.find("[data-testid=publication-item]").await;
    let facts = facts.text().await.unwrap();
    assert!(facts.contains("XYAH-"), "the platform's receipt: {facts}");
    assert!(facts.contains(&today.to_string()), "published today: {facts}");
    browser
        .find_text("[data-testid=publication-attempts]", "HTTP 200")
        .await;
    assert!(
        browser
            .execute(
                "return !document.querySelector('[data-testid=publication-retry]')",
                vec![]
            )
            .await
            == json!(true),
        "nothing is left to retry"
    );
    browser.checkpoint("publication-item-acknowledged").await;
    let requests: Vec<u16> = platform
        .requests()
        .into_iter()
        .filter(|(key, _)| *key == number)
        .map(|(_, status)| status)
        .collect();
    assert_eq!(requests, [503, 200], "pushed twice: failed, then taken");
    assert!(
        platform.published(&uploaded_number).is_none(),
        "an upload is not pushed"
    );
    for n in [&number, &uploaded_number] {
        let item = item_numbered(&admin, n).await;
        assert_eq!((item.late_days, item.published_on), (None, Some(today)), "{n}");
    }

    // The on-time page shows what the API's on-time report counts, both decisions with the rest.
    browser.goto("/publication").await;
    click(&browser, "[data-testid=publication-on-time]").await;
    browser.find("[data-testid=on-time-table]").await;
    let report = on_time_report(&admin).await;
    assert_eq!(report.total.decided, decided_before + 2);
    assert!(
        report
            .late
            .iter()
            .all(|i| i.document_number != number && i.document_number != uploaded_number),
        "neither is late"
    );
    let summary = format!(
        "{}：共 {} 份决定，按时公示率 {}",
        report.period,
        report.total.decided,
        rate(&report.total)
    );
    browser.find_text("[data-testid=on-time-total]", &summary).await;
    let mut expected: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| cells_of(&r.division_name, r))
        .collect();
    expected.push(cells_of("合计", &report.total));
    assert_eq!(table_cells(&browser).await, expected);
    browser.checkpoint("publication-on-time").await;
}

/// Today where the bureau works (the server's day).
fn today_in_china() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    Utc::now().with_timezone(&china).date_naive()
}

/// Two changes of registration under review, ready to be approved, in the order the matters page lists them.
async fn ready_to_approve(admin: &TestApp) -> [MatterSummary; 2] {
    let open = admin
        .list_matters("per_page=100")
        .await
        .expect("the open matters");
    let ready: Vec<MatterSummary> = open
        .items
        .into_iter()
        .filter(|m| m.kind == MatterKind::Change && m.next_actions.contains(&ActionKind::Approve))
        .take(2)
        .collect();
    ready.try_into().expect("the demo has two changes under review")
}

/// The document number in `text`, checked to read 皖社许〔year〕N号.
fn document_number(text: &str, year: i32) -> String {
    let start = text.find("皖社许〔").expect("a document number");
    let rest = &text[start..];
    let number = &rest[..rest.find('号').expect("ends with 号") + '号'.len_utf8()];
    let serial = number
        .strip_prefix(&format!("皖社许〔{year}〕"))
        .and_then(|n| n.strip_suffix('号'))
        .unwrap_or_else(|| panic!("not numbered in {year}: {number}"));
    assert!(
        !serial.is_empty() && serial.chars().all(|c| c.is_ascii_digit()),
        "{number}"
    );
    number.to_owned()
}

/// The outbox row of the decision numbered `number`.
fn row_of(number: &str) -> String {
    format!("//tr[@data-testid='publication-row'][.//a[normalize-space()='{number}']]")
}

/// The text of each cell of the row `xpath` selects, once it is there.
async fn row_cells(browser: &Browser, xpath: &str) -> Vec<String> {
    browser.find_xpath(xpath).await;
    let script = "const row = document.evaluate(arguments[0], document, null, 9, null).singleNodeValue;
        return [...row.cells].map(td => td.textContent.trim())";
    serde_json::from_value(browser.execute(script, vec![json!(xpath)]).await).expect("a row's cells")
}

/// Every row of the on-time table, cell by cell.
async fn table_cells(browser: &Browser) -> Vec<Vec<String>> {
    let script = "return [...document.querySelectorAll('[data-testid=on-time-table] tbody tr')]
        .map(tr => [...tr.cells].map(td => td.textContent.trim()))";
    serde_json::from_value(browser.execute(script, Vec::new()).await).expect("the table's cells")
}

/// A row of the on-time table as it should read.
fn cells_of(name: &str, row: &OnTimeRow) -> Vec<String> {
    vec![
        name.to_owned(),
        row.decided.to_string(),
        row.on_time.to_string(),
        row.late.to_string(),
        row.not_due.to_string(),
        rate(row),
    ]
}

/// The rate as the page shows it: a percentage with one decimal, or a dash.
fn rate(row: &OnTimeRow) -> String {
    row.rate
        .map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

async fn on_time_report(admin: &TestApp) -> OnTimeReport {
    admin.publication_on_time("").await.expect("the on-time report")
}

async fn item_numbered(admin: &TestApp, number: &str) -> PublicationItem {
    let items = admin
        .list_publications("kind=licensing&per_page=100")
        .await
        .expect("the outbox");
    items
        .items
        .into_iter()
        .find(|i| i.document_number == number)
        .unwrap_or_else(|| panic!("no item numbered {number}"))
}

async fn pick(browser: &Browser, css: &str, day: NaiveDate) {
    browser
        .execute(PICK, vec![json!(css), json!(day.to_string())])
        .await;
}
