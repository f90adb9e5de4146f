//! 百社进百村 in the browser, as the people who use it would, all on a 375 px phone and through the UI only:
//! the bureau administrator opens a round over 长丰县, 安徽省乡村振兴促进会 joins it, 合肥 staff record three
//! villages' needs, run the engine (progress, list, map), open a pair's score breakdown, forbid it, run again
//! and compare; the administrator confirms; the society sees its villages on its phone; the village page
//! shows its society to anyone; staff conclude one agreement and the society sees it concluded.

use serde_json::json;
use tests::browser::{Browser, Viewport};

use super::{sign_in, sign_out};

const ROUND: &str = "2026年长丰县百社进百村试点";
const SOCIETY: &str = "安徽省乡村振兴促进会";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_is_opened_joined_solved_steered_confirmed_and_shows_on_the_societys_phone() {
    let browser = Browser::open_demo(Viewport::Phone).await;

    // 1. The bureau administrator opens a round, choosing its county from the real ones, and its rules.
    sign_in(&browser, "demo-admin").await;
    browser.goto("/rounds").await;
    click(&browser, "//details[.//form[@data-testid='open-round']]/summary").await;
    browser
        .type_into("[data-testid=open-round] input[name=name]", ROUND)
        .await;
    browser.choose("scope_city", "合肥市").await;
    click(
        &browser,
        "//label[@class='check'][normalize-space()='长丰县']/input",
    )
    .await;
    browser
        .find_text("[data-testid=chosen-counties]", "合肥市长丰县")
        .await;
    browser
        .type_into("[data-testid=open-round] input[name=max_distance_km]", "120")
        .await;
    submit(&browser, "[data-testid=open-round]").await;
    browser.find_text("[data-testid=open-round] .notice", ROUND).await;
    let link = browser
        .find_xpath(&format!(
            "//li[@data-testid='round-row']//a[normalize-space()='{ROUND}']"
        ))
        .await;
    let round_path = link.attr("href").await.unwrap().expect("a link to the round");
    browser.goto(&round_path).await;
    browser.find_text("main h1", ROUND).await;
    browser.find_text("main", "最大距离 120 公里").await;
    browser.checkpoint("pairing-admin-opened").await;
    sign_out(&browser).await;

    // 2. The society joins from its phone: capabilities, capacity, home county from a picker, funds.
    sign_in(&browser, "demo-org").await;
    browser.goto("/rounds").await;
    click(
        &browser,
        &format!("//li[@data-testid='round-row']//a[normalize-space()='{ROUND}']"),
    )
    .await;
    browser.find("[data-testid=join-form]").await;
    browser
        .type_into("[data-testid=join-form] input[name=education]", "8")
        .await;
    browser
        .type_into("[data-testid=join-form] input[name=industry]", "5")
        .await;
    browser
        .type_into("[data-testid=join-form] input[name=capacity]", "2")
        .await;
    browser.choose("home_city", "合肥市").await;
    browser.choose("home_county", "肥东县").await;
    browser
        .type_into("[data-testid=join-form] input[name=funds]", "500000")
        .await;
    browser.checkpoint("pairing-society-joining").await;
    submit(&browser, "[data-testid=join-form]").await;
    browser
        .find_text("[data-testid=join-form] .notice", "已保存")
        .await;
    browser.checkpoint("pairing-society-joined").await;
    sign_out(&browser).await;

    // 3. 合肥 staff record three villages' needs, the first a priority village.
    sign_in(&browser, "demo-hefei").await;
    browser.goto(&round_path).await;
    click(&browser, "//details[@data-testid='needs-editor']/summary").await;
    browser.find("[data-testid=needs-village]").await;
    let names: Vec<String> = serde_json::from_value(
        browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=needs-village] button strong')]
                    .slice(0, 3).map(e => e.textContent.trim())",
                vec![],
            )
            .await,
    )
    .expect("village names");
    assert_eq!(names.len(), 3, "{names:?}");
    let (priority, second, third) = (&names[0], &names[1], &names[2]);
    for (name, need, weight) in [
        (priority, "industry", "6"),
        (second, "education", "7"),
        (third, "education", "2"),
    ] {
        click(
            &browser,
            &format!("//li[@data-testid='needs-village']//button[normalize-space()='{name}']"),
        )
        .await;
        browser.find_text("[data-testid=needs-form] h3", name).await;
        browser
            .type_into(&format!("[data-testid=needs-form] input[name={need}]"), weight)
            .await;
        if name == priority {
            browser.choose("priority_class", "脱贫村").await;
        }
        submit(&browser, "[data-testid=needs-form]").await;
        browser
            .find_text("[data-testid=needs-form] .notice", &format!("已保存{name}的需求"))
            .await;
    }
    browser
        .find_text("[data-testid=needs-village] .badge--priority", "脱贫村")
        .await;
    browser.checkpoint("pairing-needs-recorded").await;

    // 4. They run the engine: progress while it runs, then the list and the map.
    let first_objective = run_and_watch_progress(&browser).await;
    let first = shown_pairs(&browser).await;
    assert_eq!(first.len(), 2, "capacity 2: {first:?}");
    assert!(first.iter().any(|v| v.contains(priority.as_str())), "{first:?}");
    assert!(first.iter().any(|v| v.contains(second.as_str())), "{first:?}");
    assert_map_draws(&browser, 2).await;
    browser.find_text("[data-testid=pairs]", "重点村").await;
    browser.checkpoint("pairing-first-run").await;

    // 5. The breakdown of the pair with the second village; forbid it and run again.
    click(
        &browser,
        &format!("//li[@data-testid='pair'][.//a[contains(., '{second}')]]//button"),
    )
    .await;
    browser.find_text("[data-testid=breakdown]", "匹配度").await;
    browser.find_text("[data-testid=breakdown]", "7 × 8 = 56").await;
    browser.checkpoint("pairing-breakdown").await;
    click_css(&browser, "[data-testid=forbid]").await;
    browser
        .find_text("[data-testid=breakdown] .notice", "共 1 条")
        .await;
    let second_objective = run_and_watch_progress(&browser).await;
    assert_ne!(first_objective, second_objective);
    let steered = shown_pairs(&browser).await;
    assert!(steered.iter().any(|v| v.contains(third.as_str())), "{steered:?}");
    assert!(
        !steered.iter().any(|v| v.contains(second.as_str())),
        "{steered:?}"
    );
    assert_map_draws(&browser, 2).await;

    // 6. Compare with the previous proposal.
    click_css(&browser, "[data-testid=compare]").await;
    browser
        .find_text(
            "[data-testid=comparison] .added",
            &format!("＋ {SOCIETY} — {third}"),
        )
        .await;
    browser
        .find_text(
            "[data-testid=comparison] .removed",
            &format!("－ {SOCIETY} — {second}"),
        )
        .await;
    let run_number = |objective: &str| objective.split(' ').next().unwrap_or_default().to_owned();
    let delta = format!(
        "方案 {} → {}",
        run_number(&first_objective),
        run_number(&second_objective)
    );
    browser.find_text("[data-testid=comparison]", &delta).await;
    browser.checkpoint("pairing-compared").await;
    sign_out(&browser).await;

    // 7. The administrator confirms the proposal: the pairs become agreements.
    sign_in(&browser, "demo-admin").await;
    browser.goto(&round_path).await;
    browser
        .find_text("[data-testid=objective]", &second_objective)
        .await;
    submit(&browser, "[data-testid=confirm]").await;
    browser
        .find_text("[data-testid=proposal] .notice", "生成 2 份结对协议")
        .await;
    browser.find_text("[data-testid=agreements]", "帮扶中").await;
    assert_eq!(count(&browser, "[data-testid=agreement]").await, 2);
    assert_eq!(
        count(&browser, "[data-testid=run]").await,
        0,
        "a confirmed round is not run again"
    );
    browser.checkpoint("pairing-confirmed").await;
    sign_out(&browser).await;

    // 8. The society sees its villages on its phone, and the village page shows the society.
    sign_in(&browser, "demo-org").await;
    browser.find("nav.app-nav a[href='/my/pairings']").await;
    browser.goto("/my/pairings").await;
    browser.find_text("[data-testid=my-pairings]", priority).await;
    browser.find_text("[data-testid=my-pairings]", third).await;
    browser.find_text("[data-testid=my-pairings]", ROUND).await;
    browser
        .find_text("[data-testid=my-pairings]", "帮扶期 2026-03-01 至 2028-02-29")
        .await;
    assert!(
        !browser
            .find("[data-testid=my-pairings]")
            .await
            .text()
            .await
            .unwrap()
            .contains(second.as_str()),
        "the forbidden village is not the society's"
    );
    browser.checkpoint("pairing-society-villages").await;
    click(
        &browser,
        &format!("//li[@data-testid='my-pairing']//a[normalize-space()='{priority}']"),
    )
    .await;
    browser.find_text("main h1", priority).await;
    browser
        .find_text("[data-testid=village-facts]", "合肥市 长丰县")
        .await;
    browser
        .find_text("[data-testid=village-societies]", SOCIETY)
        .await;
    browser
        .find_text("[data-testid=village-societies]", "帮扶中")
        .await;
    browser.checkpoint("pairing-village-page").await;
    let village_path = browser.client().current_url().await.unwrap().path().to_owned();
    sign_out(&browser).await;

    // Anyone may read a village's societies: the pairing lists are announced.
    browser.goto(&village_path).await;
    browser
        .find_text("[data-testid=village-societies]", SOCIETY)
        .await;
    browser.checkpoint("pairing-village-page-visitor").await;

    // 9. 合肥 staff conclude the agreement of the third village; the society sees it concluded.
    sign_in(&browser, "demo-hefei").await;
    browser.goto(&round_path).await;
    click(
        &browser,
        &format!("//li[@data-testid='agreement'][.//a[contains(., '{third}')]]//button"),
    )
    .await;
    let today = today_in_china();
    set_date(
        &browser,
        "[data-testid=conclude-form] input[name=concluded_on]",
        &today,
    )
    .await;
    browser
        .type_into(
            "[data-testid=conclude-form] textarea[name=reason]",
            "帮扶项目提前完成",
        )
        .await;
    browser.checkpoint("pairing-concluding").await;
    submit(&browser, "[data-testid=conclude-form]").await;
    browser
        .find_text("[data-testid=agreements] .notice", "已结束")
        .await;
    browser
        .find_text("[data-testid=agreement]", &format!("{today} 结束"))
        .await;
    browser
        .find_text("[data-testid=agreements]", "帮扶项目提前完成")
        .await;
    browser.checkpoint("pairing-concluded").await;
    sign_out(&browser).await;

    sign_in(&browser, "demo-org").await;
    browser.goto("/my/pairings").await;
    browser.find_text("[data-testid=my-pairings]", "已结束").await;
    browser.find_text("[data-testid=my-pairings]", "帮扶中").await;
    browser.checkpoint("pairing-society-sees-concluded").await;
}

/// Clicks Run, records whether the progress bar appeared while the engine ran, waits for the proposal and
/// answers its objective line (`#<run> · …`).
async fn run_and_watch_progress(browser: &Browser) -> String {
    let runs_before = browser
        .execute(
            "const o = document.querySelector('[data-testid=objective]');
             return o ? o.textContent : ''",
            vec![],
        )
        .await;
    browser
        .execute(
            "window.sawProgress = false;
             window.progressObserver = new MutationObserver(() => {
                 if (document.querySelector('[data-testid=run-progress]')) window.sawProgress = true;
             });
             window.progressObserver.observe(document.body, { childList: true, subtree: true });",
            vec![],
        )
        .await;
    click_css(browser, "[data-testid=run]").await;
    browser
        .wait_until(
            "a new proposal",
            "const o = document.querySelector('[data-testid=objective]');
             return !!o && o.textContent !== arguments[0] && !document.querySelector('[data-testid=run-progress]')",
            vec![runs_before],
        )
        .await;
    let saw = browser
        .execute(
            "window.progressObserver.disconnect(); return window.sawProgress",
            vec![],
        )
        .await;
    assert_eq!(saw, json!(true), "the progress bar shows while the engine runs");
    let objective = browser
        .execute(
            "return document.querySelector('[data-testid=objective]').textContent",
            vec![],
        )
        .await;
    objective.as_str().unwrap_or_default().to_owned()
}

/// The village part of each listed pair.
async fn shown_pairs(browser: &Browser) -> Vec<String> {
    let value = browser
        .execute(
            "return [...document.querySelectorAll('[data-testid=pair] a')].map(a => a.textContent.trim())",
            vec![],
        )
        .await;
    serde_json::from_value(value).expect("pairs")
}

/// The map draws one line per pair, a priority mark, and fits the phone.
async fn assert_map_draws(browser: &Browser, pairs: usize) {
    let script = "const svg = document.querySelector('[data-testid=pairing-map] svg');
        const box = svg.getBoundingClientRect();
        return { lines: svg.querySelectorAll('line.map__line').length,
                 priority: svg.querySelectorAll('.map__village--priority').length,
                 right: box.right, width: document.documentElement.clientWidth }";
    let measured = browser.execute(script, vec![]).await;
    assert_eq!(measured["lines"], json!(pairs), "{measured}");
    assert_eq!(measured["priority"], json!(1), "{measured}");
    assert!(
        measured["right"].as_f64().unwrap() <= measured["width"].as_f64().unwrap(),
        "the map fits the phone: {measured}"
    );
}

async fn count(browser: &Browser, css: &str) -> u64 {
    let n = browser
        .execute(
            "return document.querySelectorAll(arguments[0]).length",
            vec![json!(css)],
        )
        .await;
    n.as_u64().unwrap_or_default()
}

async fn click(browser: &Browser, xpath: &str) {
    let element = browser.find_xpath(xpath).await;
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

async fn click_css(browser: &Browser, css: &str) {
    let element = browser.find(css).await;
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Presses the form's submit button.
async fn submit(browser: &Browser, form: &str) {
    click_css(browser, &format!("{form} button[type=submit]")).await;
}

/// Sets a date field as a date picker would (typing into one depends on the locale's field order).
async fn set_date(browser: &Browser, css: &str, date: &str) {
    browser
        .execute(
            "const input = document.querySelector(arguments[0]);
             input.value = arguments[1];
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(date)],
        )
        .await;
}

fn today_in_china() -> String {
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    chrono::Utc::now().with_timezone(&china).date_naive().to_string()
}
