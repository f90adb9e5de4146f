//! A fee-inspection campaign on a phone, as the bureau and a second staff member take it: the bureau
//! administrator opens this year's campaign and draws it; the 合肥 staff member re-runs the draw from its
//! published seed and gets the same list; the administrator records one of the inspections drawn for them
//! with a cancelled and a reduced fee; the campaign's burden removed is the sum of those items.

use domain::money::Fen;
use serde_json::json;
use tests::browser::{Browser, Viewport};

use super::{sign_in, sign_out};

/// Sets a select (found by CSS) to a value, as a user's choice does.
const SELECT: &str = "const el = document.querySelector(arguments[0]);
    el.value = arguments[1];
    el.dispatchEvent(new Event('change', { bubbles: true }));
    return true;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_draw_a_campaign_verify_it_and_record_an_inspection_on_a_phone() {
    let browser = Browser::open_demo(Viewport::Phone).await;
    sign_in(&browser, "demo-admin").await;
    browser
        .find("[data-testid=nav-fees]")
        .await
        .click()
        .await
        .expect("open the campaigns");
    let open = browser.find_text("[data-testid=campaign]", "待抽取").await;
    let link = open
        .find(fantoccini::Locator::Css("a"))
        .await
        .expect("the campaign's link");
    let href = link.attr("href").await.unwrap().expect("a link");
    browser.goto(&href).await;
    browser.find("[data-testid=draw-form]").await;
    browser.checkpoint("fees-campaign-open").await;
    browser
        .find("[data-testid=draw]")
        .await
        .click()
        .await
        .expect("draw");
    let seed = browser.find("[data-testid=seed]").await.text().await.unwrap();
    assert_eq!(seed.len(), 16, "{seed}");
    browser
        .find("[data-testid=drawn-list] [data-testid=inspection]")
        .await;
    browser.checkpoint("fees-drawn").await;
    sign_out(&browser).await;

    // A second person re-runs the draw from its recorded seed and inputs.
    sign_in(&browser, "demo-hefei").await;
    browser.goto(&href).await;
    browser
        .find("[data-testid=verify]")
        .await
        .click()
        .await
        .expect("re-run the draw");
    browser.find_text("[data-testid=verdict]", &seed).await;
    browser
        .find_text("[data-testid=verifications]", "demo-hefei")
        .await;
    browser.checkpoint("fees-verified").await;
    sign_out(&browser).await;

    // The administrator records an inspection they are drawn for.
    sign_in(&browser, "demo-admin").await;
    let campaign_id = href.rsplit('/').next().unwrap().to_owned();
    browser
        .goto(&format!(
            "/fees/inspections?campaign_id={campaign_id}&mine=true&stage=pending"
        ))
        .await;
    let first = browser.find("[data-testid=inspection] a").await;
    first.click().await.expect("open an inspection");
    browser.find("[data-testid=record-form]").await;
    browser
        .type_into("textarea[name=summary]", "查阅收费文件和会员名册")
        .await;
    let item =
        |n: usize, field: &str| format!("fieldset[data-testid=item-fields]:nth-of-type({n}) [name={field}]");
    fill(&browser, &item(1, "name"), "会议展览费").await;
    fill(&browser, &item(1, "basis"), "秘书处通知").await;
    fill(&browser, &item(1, "standard"), "3000").await;
    fill(&browser, &item(1, "income"), "120000").await;
    fill(&browser, &item(1, "payers"), "40").await;
    browser
        .find(&item(1, "finding][value=forced_expos"))
        .await
        .click()
        .await
        .expect("a finding");
    browser
        .execute(SELECT, vec![json!(item(1, "disposition")), json!("cancel")])
        .await;
    browser
        .find("[data-testid=add-item]")
        .await
        .click()
        .await
        .expect("add an item");
    fill(&browser, &item(2, "name"), "会费").await;
    fill(&browser, &item(2, "basis"), "会员大会决议").await;
    fill(&browser, &item(2, "standard"), "2000").await;
    fill(&browser, &item(2, "income"), "80000").await;
    fill(&browser, &item(2, "payers"), "40").await;
    browser
        .find(&item(2, "finding][value=over_standard"))
        .await
        .click()
        .await
        .expect("a finding");
    browser
        .execute(SELECT, vec![json!(item(2, "disposition")), json!("reduce")])
        .await;
    fill(&browser, &item(2, "new_standard"), "1500").await;
    browser.checkpoint("fees-record-form").await;
    browser
        .find("[data-testid=record]")
        .await
        .click()
        .await
        .expect("record");

    // Cancelling removes 120,000元; reducing 2,000元 to 1,500元 removes a quarter of 80,000元.
    let burden = Fen::new(12_000_000 + 2_000_000);
    browser
        .find_text("[data-testid=inspection-burden]", &burden.format_yuan())
        .await;
    browser.find_text("[data-testid=fee-items]", "会议展览费").await;
    browser.checkpoint("fees-recorded").await;
    browser.goto(&href).await;
    browser
        .find_text("[data-testid=burden-total]", &burden.format_wan_yi())
        .await;
    browser.checkpoint("fees-results").await;
}

async fn fill(browser: &Browser, css: &str, text: &str) {
    browser.type_into(css, text).await;
}
