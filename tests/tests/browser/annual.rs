//! The annual cycle as new users try it on a phone (the "done when"): the bureau opens last year;
//! an organization keeps a draft of its report, submits it and sees the verdict staff give; one that did
//! not report is on the abnormal list the day after the deadline and in the public list, objects, files
//! late, applies for removal and staff grant it; staff take a dormant candidate through interview and
//! rectification to deregistration, and the registry, the public lookup and the counts follow.
//!
//! What another story already drives through the UI (a deregistration matter filed and approved) and what
//! time does (the deadline passing, the nightly rules) are arranged through the API and the store.

use chrono::{Datelike, Duration, NaiveDate};
use domain::api::FileMatterRequest;
use domain::division::DivisionCode;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{MatterAction, MatterKind};
use serde_json::json;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::browser::{Browser, Viewport};
use tests::demo_password;

use super::{click, sign_in, sign_out};

const FILER: &str = "肥东县年报示范协会";
const MISSING: &str = "肥西县未报年报协会";
const DORMANT: &str = "长丰县长期停摆协会";

/// The organizations (all in 合肥, founded long ago, with no activity since) and one account per part.
struct World {
    filer: i64,
    dormant: i64,
}

async fn arrange(browser: &Browser) -> World {
    let app = &browser.app;
    let seeds: Vec<OrganizationSeed> = [(FILER, "340122"), (MISSING, "340123"), (DORMANT, "340121")]
        .iter()
        .enumerate()
        .map(|(i, (name, division))| OrganizationSeed {
            credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 900 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: "social_group".to_owned(),
            level: "county".to_owned(),
            division_code: (*division).to_owned(),
            founded_on: NaiveDate::from_ymd_opt(2012, 5, 1),
            ..Default::default()
        })
        .collect();
    let ids = app.insert_organizations(&seeds).await;
    let scope = |division: Option<&str>, organization: Option<i64>| ScopeIds {
        division_code: division.and_then(|d| DivisionCode::parse(d).ok()),
        organization_id: organization,
        ..ScopeIds::default()
    };
    let password = demo_password();
    app.add_account("annual-admin", Role::BureauAdmin, scope(None, None), &password)
        .await;
    app.add_account(
        "annual-hefei",
        Role::LocalStaff,
        scope(Some("340100"), None),
        &password,
    )
    .await;
    for (username, id) in [
        ("annual-filer", ids[0]),
        ("annual-missing", ids[1]),
        ("annual-dormant", ids[2]),
    ] {
        app.add_account(username, Role::OrgUser, scope(None, Some(id)), &password)
            .await;
    }
    World {
        filer: ids[0],
        dormant: ids[2],
    }
}

fn today() -> NaiveDate {
    sheguan::state::today()
}

fn last_year() -> i32 {
    today().year() - 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_reports_listings_and_dormant_cases_on_a_phone() {
    let browser = Browser::open(Viewport::Phone).await;
    let world = arrange(&browser).await;
    let year = last_year();

    // The bureau opens last year, its deadline a month away.
    sign_in(&browser, "annual-admin").await;
    browser.goto("/inspection/cycles").await;
    open_fold(&browser, "[data-testid=open-cycle]").await;
    set_value(
        &browser,
        "input[name=deadline]",
        &(today() + Duration::days(30)).to_string(),
    )
    .await;
    browser.checkpoint("annual-open-cycle").await;
    click_enabled(&browser, "[data-testid=open-cycle-submit]").await;
    browser
        .find_text("[data-testid=cycles]", &format!("{year} 年度工作报告"))
        .await;
    browser.checkpoint("annual-cycle-opened").await;
    sign_out(&browser).await;

    files_and_sees_the_verdict(&browser, year).await;
    a_missing_report_is_listed_objected_filed_late_and_removed(&browser, year).await;
    a_dormant_candidate_is_deregistered(&browser, &world).await;

    // The organization's profile shows its year and no listing.
    sign_in(&browser, "annual-hefei").await;
    browser.goto(&format!("/organizations/{}", world.filer)).await;
    browser
        .find_text("[data-testid=organization-reports]", "基本合格")
        .await;
    browser.find("[data-testid=organization-no-listings]").await;
    browser.checkpoint("annual-profile").await;
}

/// The organization keeps a draft, completes and submits it; staff judge it 基本合格 with a reason; the
/// organization sees the verdict and the reason on its page.
async fn files_and_sees_the_verdict(browser: &Browser, year: i32) {
    sign_in(browser, "annual-filer").await;
    // The menu offers it (the menu scrolls sideways on a phone: the page is opened by its address).
    browser.find("[data-testid=nav-inspection]").await;
    browser.goto("/inspection").await;
    browser
        .find_text(&format!("[data-testid=year-{year}]"), "未填报")
        .await;
    browser.checkpoint("annual-my-years").await;
    click(browser, &format!("[data-testid=edit-{year}]")).await;
    browser.find("[data-testid=report-form]").await;
    browser.type_into("input[name=revenue]", "1,200,000.50").await;
    browser.type_into("input[name=expenses]", "12x").await;
    browser
        .find_text("[data-testid=report-form] .field__error", "金额格式不正确")
        .await;
    browser.type_into("input[name=expenses]", "980000").await;
    browser.type_into("input[name=net_assets]", "-3500").await;
    browser
        .type_into(
            "textarea[name=activities]",
            "全年开展技能培训 8 场，助农直播 12 场",
        )
        .await;
    click(browser, "[data-testid=save-draft]").await;
    browser.find_text("[data-testid=report-saved]", "草稿").await;
    browser
        .find_text(&format!("[data-testid=year-{year}]"), "草稿")
        .await;

    // Sending it asks for what the bureau reads: party building and an officer.
    click(browser, "[data-testid=submit-report]").await;
    browser
        .find_text("[data-testid=report-form] .field__error", "负责人")
        .await;
    browser
        .type_into(
            "textarea[name=party_building]",
            "成立功能型党小组，开展主题党日 4 次",
        )
        .await;
    click(browser, "[data-testid=add-officer]").await;
    browser
        .type_into("input[name='officers[0].name']", "王建国")
        .await;
    browser
        .type_into("input[name='officers[0].position']", "会长")
        .await;
    click(browser, "[data-testid=add-fee]").await;
    browser
        .type_into("input[name='member_fees[0].item']", "单位会员会费")
        .await;
    browser
        .type_into("input[name='member_fees[0].amount']", "2000")
        .await;
    browser
        .type_into("input[name='member_fees[0].payers']", "35")
        .await;
    browser.checkpoint("annual-report-form").await;
    click(browser, "[data-testid=submit-report]").await;
    browser.find_text("[data-testid=report-stage]", "已报送").await;
    browser
        .find_text("[data-testid=report-finances]", "1,200,000.50元")
        .await;
    browser
        .find_text("[data-testid=report-finances]", "-3,500.00元")
        .await;
    browser.checkpoint("annual-report-submitted").await;
    sign_out(browser).await;

    // 合肥 staff find it among the year's submitted reports and judge it.
    sign_in(browser, "annual-hefei").await;
    browser
        .goto(&format!("/inspection?year={year}&stage=submitted"))
        .await;
    browser.find_text("[data-testid=reports-table]", FILER).await;
    browser.checkpoint("annual-reports-list").await;
    click_link(browser, FILER).await;
    browser.find("[data-testid=review-form]").await;
    click(browser, "input[name=result][value=basically_qualified]").await;
    browser
        .type_into("textarea[name=reasons]", "财务收支明细不全，请完善会计账簿")
        .await;
    browser.checkpoint("annual-review").await;
    click_enabled(browser, "[data-testid=review-submit]").await;
    browser.find_text("[data-testid=report-result]", "基本合格").await;
    sign_out(browser).await;

    sign_in(browser, "annual-filer").await;
    browser.goto("/inspection").await;
    browser
        .find_text(&format!("[data-testid=year-{year}]"), "基本合格")
        .await;
    browser
        .find_text("[data-testid=report-reasons]", "请完善会计账簿")
        .await;
    browser.checkpoint("annual-verdict-seen").await;
    sign_out(browser).await;
}

/// The deadline passes without a report: the rule lists the organization; anyone sees it in the public
/// list; it objects, files late and applies for removal; staff grant the removal and it leaves the list.
async fn a_missing_report_is_listed_objected_filed_late_and_removed(browser: &Browser, year: i32) {
    let deadline = today() - Duration::days(1);
    browser
        .app
        .db()
        .await
        .execute(&format!(
            "UPDATE inspection_cycles SET deadline = '{deadline}' WHERE year = {year}"
        ))
        .await
        .expect("the deadline passes");
    browser
        .app
        .store
        .apply_credit_rules(today())
        .await
        .expect("the daily rules");

    // A visitor, with no session, finds it from the home page.
    browser.goto("/").await;
    // The reference counts load below the fold first; the link is clicked once the page stands still.
    browser.find("[data-testid=reference-counts]").await;
    click(browser, "[data-testid=home-credit-lists]").await;
    browser.find("[data-testid=public-listings]").await;
    let search = browser.type_into("[data-testid=public-search]", "肥西县").await;
    browser.press_enter(&search).await;
    browser.find_text("[data-testid=public-listing]", MISSING).await;
    browser
        .find_text("[data-testid=public-listing]", "未按规定报送年度工作报告")
        .await;
    browser.checkpoint("annual-public-list").await;

    // The organization reads the notice and objects; the public list shows the objection pending.
    sign_in(browser, "annual-missing").await;
    // The menu offers it (the menu scrolls sideways on a phone: the page is opened by its address).
    browser.find("[data-testid=nav-credit]").await;
    browser.goto("/credit-listings").await;
    click_link(browser, MISSING).await;
    browser.find_text("[data-testid=listing-notice]", "异议").await;
    browser
        .type_into(
            "[data-testid=objection-form] textarea",
            "年报已于截止日前寄出，邮件被退回，请核实",
        )
        .await;
    click_enabled(browser, "[data-testid=objection-form] button").await;
    browser
        .find_text("[data-testid=objection-status]", "异议处理中")
        .await;
    browser.checkpoint("annual-objected").await;
    browser.goto("/credit-lists?q=%E8%82%A5%E8%A5%BF%E5%8E%BF").await;
    browser.find("[data-testid=objection-pending]").await;

    // It files the report late (补报), then applies for removal.
    browser.goto("/inspection").await;
    click(browser, &format!("[data-testid=edit-{year}]")).await;
    browser
        .type_into("textarea[name=activities]", "开展会员走访和政策宣讲活动 5 次")
        .await;
    browser
        .type_into("textarea[name=party_building]", "联合所在社区党委开展党建活动")
        .await;
    click(browser, "[data-testid=add-officer]").await;
    browser.type_into("input[name='officers[0].name']", "李红").await;
    browser
        .type_into("input[name='officers[0].position']", "秘书长")
        .await;
    click(browser, "[data-testid=submit-report]").await;
    browser.find_text("[data-testid=report-stage]", "已报送").await;
    browser.find_text("main .lead", "补报").await;
    browser.goto("/credit-listings").await;
    click_link(browser, MISSING).await;
    browser
        .type_into(
            "[data-testid=removal-form] textarea",
            "已补报年度工作报告，并建立年报专人负责制度",
        )
        .await;
    click_enabled(browser, "[data-testid=removal-form] button").await;
    browser.find("[data-testid=removal]").await;
    browser.checkpoint("annual-removal-applied").await;
    sign_out(browser).await;

    // Staff see it pending and grant the removal; it leaves the public list.
    sign_in(browser, "annual-hefei").await;
    browser.goto("/credit-listings?pending=true").await;
    click_link(browser, MISSING).await;
    browser
        .type_into("[data-testid=removal-decision-form] textarea", "已补报，整改到位")
        .await;
    browser.checkpoint("annual-removal-decision").await;
    click_enabled(browser, "[data-testid=removal-decision-form-grant]").await;
    browser
        .find_text("[data-testid=removal-decision]", "准予移出")
        .await;
    browser.find("[data-testid=listing-ended]").await;
    sign_out(browser).await;
    browser.goto("/credit-lists?q=%E8%82%A5%E8%A5%BF%E5%8E%BF").await;
    browser.find_text("main .notice", "没有符合条件的列入记录").await;
    browser.checkpoint("annual-public-list-after-removal").await;
}

/// The nightly scan proposes the inactive organizations; staff confirm one, interview it, order it to
/// rectify, and deregister it through its approved 注销登记 matter; its status, the public lookup and the
/// counts by city follow.
async fn a_dormant_candidate_is_deregistered(browser: &Browser, world: &World) {
    browser
        .app
        .store
        .scan_dormant(today())
        .await
        .expect("the nightly scan");
    sign_in(browser, "annual-hefei").await;
    // The menu offers it (the menu scrolls sideways on a phone: the page is opened by its address).
    browser.find("[data-testid=nav-dormant]").await;
    browser.goto("/dormant").await;
    browser.find("[data-testid=dormant-counts]").await;
    browser.goto("/dormant?stage=candidate").await;
    browser.find_text("[data-testid=cases]", DORMANT).await;
    browser.checkpoint("annual-dormant-candidates").await;
    click_link(browser, DORMANT).await;
    browser
        .find_text("[data-testid=case-signals]", "连续一年未按章程开展活动")
        .await;
    browser.checkpoint("annual-dormant-case").await;

    take_step(browser, "confirm", &[]).await;
    browser.find_text("[data-testid=case-stage]", "已认定").await;
    take_step(
        browser,
        "interview",
        &[
            ("input[name=who]", "法定代表人 赵强"),
            // Yesterday: the browser's today (its own time zone) may still be the server's yesterday.
            ("input[name=date]", &(today() - Duration::days(1)).to_string()),
            ("textarea[name=text]", "承认三年未开展活动，同意整改或注销"),
        ],
    )
    .await;
    browser.find_text("[data-testid=case-stage]", "已约谈").await;
    take_step(
        browser,
        "order_rectification",
        &[
            ("input[name=date]", &(today() + Duration::days(30)).to_string()),
            ("textarea[name=text]", "30 日内恢复活动或申请注销登记"),
        ],
    )
    .await;
    browser.find_text("[data-testid=case-stage]", "限期整改中").await;
    browser.checkpoint("annual-dormant-rectifying").await;

    // The organization chooses to wind up: its deregistration matter is filed and approved.
    let organization = browser.app.signed_in_as("annual-dormant").await;
    let staff = browser.app.signed_in_as("annual-hefei").await;
    let filed = organization
        .file_matter(&FileMatterRequest {
            kind: MatterKind::Deregistration,
            organization_id: None,
            changes: Default::default(),
            establishment: None,
            note: "会员大会决议注销".into(),
        })
        .await
        .expect("file the deregistration");
    for action in [MatterAction::Accept, MatterAction::StartReview] {
        staff
            .act_on_matter(filed.matter.id, &action)
            .await
            .expect("review the deregistration");
    }
    // Whoever reviewed a matter may not decide it: a bureau account approves.
    browser
        .app
        .approver()
        .await
        .act_on_matter(filed.matter.id, &MatterAction::Approve)
        .await
        .expect("approve the deregistration");
    browser.reload().await;
    click(browser, "input[name=step][value=deregister]").await;
    browser.find("select[name=matter]").await;
    click_enabled(browser, "[data-testid=take-step]").await;
    browser.find_text("[data-testid=case-stage]", "已注销").await;
    browser.find("[data-testid=case-matter]").await;
    browser.checkpoint("annual-dormant-deregistered").await;

    browser.goto(&format!("/organizations/{}", world.dormant)).await;
    browser.find_text("main .lead", "注销").await;
    browser.goto("/dormant").await;
    browser.find_text("[data-testid=dormant-counts]", "合肥市").await;
    let deregistered = browser
        .execute(
            "const total = [...document.querySelectorAll('[data-testid=dormant-counts] tbody tr')].pop(); \
             return total.cells[5].textContent.trim();",
            vec![],
        )
        .await;
    assert_eq!(deregistered, json!("1"), "the total counts one deregistration");
    browser.checkpoint("annual-dormant-counts").await;
    sign_out(browser).await;

    browser
        .goto("/lookup?q=%E9%95%BF%E4%B8%B0%E5%8E%BF%E9%95%BF%E6%9C%9F%E5%81%9C%E6%91%86")
        .await;
    browser.find_text("[data-testid=lookup-results]", "注销").await;
    browser.checkpoint("annual-dormant-lookup").await;
}

/// Chooses `step` on a case's page, fills `fields` and takes it.
async fn take_step(browser: &Browser, step: &str, fields: &[(&str, &str)]) {
    click(browser, &format!("input[name=step][value={step}]")).await;
    for (css, value) in fields {
        set_value(browser, css, value).await;
    }
    click_enabled(browser, "[data-testid=take-step]").await;
}

/// Sets a field's value as typing would (date inputs take no keys in a fixed format).
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser.find(css).await;
    browser
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await;
}

/// Clicks `css` once it is enabled.
async fn click_enabled(browser: &Browser, css: &str) {
    browser
        .wait_until(
            &format!("{css} to be enabled"),
            "const el = document.querySelector(arguments[0]); return !!el && !el.disabled",
            vec![json!(css)],
        )
        .await;
    click(browser, css).await;
}

/// Follows the link in `main` whose text is `text`.
async fn click_link(browser: &Browser, text: &str) {
    let link = browser
        .find_xpath(&format!("//main//a[contains(normalize-space(), '{text}')]"))
        .await;
    link.click().await.expect("follow the link");
}

/// Opens a folded form.
async fn open_fold(browser: &Browser, css: &str) {
    click(browser, &format!("{css} > summary")).await;
}
