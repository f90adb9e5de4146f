//! Browser end-to-end tests: a visitor uses the built app in headless Chromium, on a phone and on a desktop.
//! Every checkpoint fails on a console error and, on the phone, on horizontal overflow (`tests::browser`).

use domain::accounts::totp;
use serde_json::json;
use tests::browser::{Browser, Viewport};

#[path = "browser/annual.rs"]
mod annual;
#[path = "browser/dashboard.rs"]
mod dashboard;
#[path = "browser/enforcement.rs"]
mod enforcement;
#[path = "browser/english.rs"]
mod english;
#[path = "browser/fees.rs"]
mod fees;
#[path = "browser/first_paint.rs"]
mod first_paint;
#[path = "browser/jobs.rs"]
mod jobs;
#[path = "browser/pairing.rs"]
mod pairing;
#[path = "browser/party.rs"]
mod party;
#[path = "browser/publication.rs"]
mod publication;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_finds_villages_of_feidong_on_a_phone() {
    finds_villages_of_feidong(Viewport::Phone).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_finds_villages_of_feidong_on_a_desktop() {
    finds_villages_of_feidong(Viewport::Desktop).await
}

/// Home → villages → 合肥市 → 肥东县 → search 店; then reload, back and forward. On the phone, first: the
/// home page the server sends already drawn is the one the app draws.
async fn finds_villages_of_feidong(viewport: Viewport) {
    let browser = Browser::open(viewport).await;
    if viewport == Viewport::Phone {
        first_paint::is_what_the_app_draws(&browser).await;
    }
    let searched = expected_names(&browser, "city=340100&county=340122&q=%E5%BA%97").await;
    let whole_county = expected_names(&browser, "city=340100&county=340122").await;

    browser.goto("/").await;
    browser.find_text("[data-testid=reference-counts]", "18334").await;
    browser.checkpoint("home").await;

    browser
        .find("nav.app-nav a[href='/villages']")
        .await
        .click()
        .await
        .expect("follow the nav link");
    browser.find("[data-testid=villages-table]").await;
    browser.choose("city", "合肥市").await;
    wait_for_query(&browser, "city", "340100").await;
    browser.choose("county", "肥东县").await;
    wait_for_query(&browser, "county", "340122").await;
    let search = browser.type_into("input[name=q]", "店").await;
    match viewport {
        // On a phone the keyboard's search key submits; on a desktop, the button.
        Viewport::Phone => browser.press_enter(&search).await,
        Viewport::Desktop => {
            let button = browser.find("form.filters button[type=submit]").await;
            button.click().await.expect("click the search button");
        }
    }

    wait_for_villages(&browser, &searched).await;
    assert!(
        searched.iter().any(|name| name == "半店社区村民委员会"),
        "{searched:?}"
    );
    assert!(searched.iter().all(|name| name.contains('店')), "{searched:?}");
    assert_eq!(browser.query_param("city").await.as_deref(), Some("340100"));
    assert_eq!(browser.query_param("county").await.as_deref(), Some("340122"));
    assert_eq!(browser.query_param("q").await.as_deref(), Some("店"));
    assert_filters(&browser, "340100", "340122", "店").await;
    browser.checkpoint("villages-searched").await;

    browser.reload().await;
    wait_for_villages(&browser, &searched).await;
    assert_filters(&browser, "340100", "340122", "店").await;
    browser.checkpoint("villages-reloaded").await;

    browser.back().await;
    wait_for_villages(&browser, &whole_county).await;
    assert_filters(&browser, "340100", "340122", "").await;
    assert_eq!(browser.query_param("q").await, None);
    let counties = shown_column(&browser, 3).await;
    assert!(counties.iter().all(|c| c == "合肥市 肥东县"), "{counties:?}");
    assert!(
        whole_county.iter().any(|name| !name.contains('店')),
        "the whole county is more than the search"
    );
    browser.checkpoint("villages-back").await;

    browser.forward().await;
    wait_for_villages(&browser, &searched).await;
    assert_filters(&browser, "340100", "340122", "店").await;
    browser.checkpoint("villages-forward").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_turns_the_app_to_english_and_back() {
    let browser = Browser::open(Viewport::Phone).await;

    browser.goto("/").await;
    browser.find_text("nav.app-nav", "首页").await;
    assert_eq!(html_lang(&browser).await, "zh-CN");
    browser.checkpoint("lang-zh").await;

    browser
        .find("button.lang-switch")
        .await
        .click()
        .await
        .expect("switch to English");
    wait_for_lang(&browser, "en").await;
    let nav = browser
        .find_text("nav.app-nav", "Home")
        .await
        .text()
        .await
        .unwrap();
    assert!(nav.contains("Villages") && !nav.contains("首页"), "{nav}");
    assert_eq!(
        browser.find("button.lang-switch").await.text().await.unwrap(),
        "中文"
    );
    browser.checkpoint("lang-en").await;

    // The choice is remembered.
    browser.reload().await;
    wait_for_lang(&browser, "en").await;
    browser.find_text("nav.app-nav", "Home").await;

    browser
        .find("button.lang-switch")
        .await
        .click()
        .await
        .expect("switch back to Chinese");
    wait_for_lang(&browser, "zh-CN").await;
    let nav = browser
        .find_text("nav.app-nav", "首页")
        .await
        .text()
        .await
        .unwrap();
    assert!(nav.contains("村（社区）") && !nav.contains("Home"), "{nav}");
    browser.checkpoint("lang-zh-again").await;
}

/// The names the API lists for `query`: what the table must show.
async fn expected_names(browser: &Browser, query: &str) -> Vec<String> {
    let page = browser.app.list_villages(query).await.expect("the villages API");
    page.items.into_iter().map(|v| v.name).collect()
}

/// The text of column `index` in every row of the villages table.
async fn shown_column(browser: &Browser, index: usize) -> Vec<String> {
    let script = "return [...document.querySelectorAll('[data-testid=villages-table] tbody tr')]
        .map(tr => tr.cells[arguments[0]].textContent.trim())";
    serde_json::from_value(browser.execute(script, vec![json!(index)]).await).expect("a list of cells")
}

async fn wait_for_villages(browser: &Browser, names: &[String]) {
    let what = format!("the villages table to list {names:?}");
    browser
        .eventually(&what, async || {
            (shown_column(browser, 0).await == names).then_some(())
        })
        .await;
}

async fn wait_for_query(browser: &Browser, name: &str, value: &str) {
    let script = "return new URLSearchParams(location.search).get(arguments[0]) === arguments[1]";
    browser
        .wait_until(
            &format!("{name}={value} in the URL"),
            script,
            vec![json!(name), json!(value)],
        )
        .await;
}

/// The city and county selects and the search field show these values.
async fn assert_filters(browser: &Browser, city: &str, county: &str, q: &str) {
    let script = "const value = css => document.querySelector(css).value;
        return value('select[name=city]') === arguments[0] && value('select[name=county]') === arguments[1]
            && value('input[name=q]') === arguments[2]";
    let what = format!("the filters to show city {city}, county {county}, search {q:?}");
    browser
        .wait_until(&what, script, vec![json!(city), json!(county), json!(q)])
        .await;
}

async fn html_lang(browser: &Browser) -> String {
    let lang = browser
        .execute("return document.documentElement.lang", Vec::new())
        .await;
    lang.as_str().unwrap_or_default().to_owned()
}

async fn wait_for_lang(browser: &Browser, lang: &str) {
    let script = "return document.documentElement.lang === arguments[0]";
    browser
        .wait_until(&format!("<html lang=\"{lang}\">"), script, vec![json!(lang)])
        .await;
}

/// The harness itself: the checks every test relies on do see a console error and a page too wide.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_see_a_console_error_and_a_page_wider_than_the_phone() {
    let browser = Browser::open(Viewport::Phone).await;
    browser.goto("/").await;
    browser.find_text("[data-testid=reference-counts]", "18334").await;
    assert_eq!(browser.page_width().await, 375);
    browser.assert_no_console_errors("the home page").await;

    let script = "const wide = document.createElement('div');
        wide.style.width = '600px';
        wide.textContent = 'wide';
        document.body.append(wide);
        console.error('an error on purpose');";
    browser.execute(script, Vec::new()).await;

    assert!(browser.page_width().await >= 600);
    let console = browser.console().await;
    assert!(
        console
            .iter()
            .any(|e| e.level == "SEVERE" && e.message.contains("an error on purpose")),
        "{console:?}"
    );
}

/// Each demo account signs in on a phone and sees its own world: the bureau administrator the account
/// administration, city staff their city, an organization user its organization.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_demo_account_signs_in_on_a_phone_and_sees_its_own_world() {
    let browser = Browser::open_demo(Viewport::Phone).await;

    browser.goto("/").await;
    browser.find("[data-testid=nav-login]").await;
    assert!(
        !has_admin_links(&browser).await,
        "a visitor sees no administration"
    );
    browser.checkpoint("visitor").await;

    sign_in(&browser, "demo-admin").await;
    browser.find("nav.app-nav a[href='/admin/users']").await;
    browser.goto("/admin/users").await;
    browser.find_text("[data-testid=users-list]", "demo-hefei").await;
    browser.checkpoint("admin-users").await;
    sign_out(&browser).await;

    sign_in(&browser, "demo-hefei").await;
    browser.goto("/account").await;
    browser.find_text("[data-testid=account-profile]", "合肥市").await;
    assert!(
        !has_admin_links(&browser).await,
        "city staff do not administer accounts"
    );
    browser.goto("/admin/users").await;
    browser.find_text("main", "无权访问").await;
    browser.checkpoint("hefei-account").await;
    sign_out(&browser).await;

    sign_in(&browser, "demo-org").await;
    browser.goto("/account").await;
    browser
        .find_text("[data-testid=account-profile]", "安徽省乡村振兴促进会")
        .await;
    assert!(
        !has_admin_links(&browser).await,
        "an organization user does not administer accounts"
    );
    browser.checkpoint("org-account").await;

    // It turns on two-step verification with the key shown, and signs in again with a code.
    browser
        .find("[data-testid=two-step-start]")
        .await
        .click()
        .await
        .expect("start");
    // The key comes as a QR code to scan too: the server's image, loaded, 200 px square, on the screen
    // above the key and under nothing else.
    let qr_code = browser.find("[data-testid=totp-qr-code]").await;
    browser
        .wait_until("the QR code shown above the key", SHOWN_ABOVE_THE_KEY, Vec::new())
        .await;
    assert!(qr_code.is_displayed().await.expect("the QR code's display"));
    let alt = browser.property("[data-testid=totp-qr-code]", "alt").await;
    assert!(alt.contains("二维码"), "{alt}");
    browser.checkpoint("org-two-step-qr-code").await;
    let secret = browser
        .find("[data-testid=totp-secret]")
        .await
        .text()
        .await
        .expect("the key");
    let secret = domain::accounts::totp::base32_decode(&secret).expect("a base32 key");
    let now = || chrono::Utc::now().timestamp();
    let code = browser
        .type_into(
            "[data-testid=two-step] input[name=code]",
            &totp::code_at(&secret, now()),
        )
        .await;
    browser.press_enter(&code).await;
    browser.find("[data-testid=recovery-codes]").await;
    browser.checkpoint("org-recovery-codes").await;
    sign_out(&browser).await;
    browser.goto("/login").await;
    browser.type_into("input[name=username]", "demo-org").await;
    let password = browser.type_into("input[name=password]", "sheguan-demo").await;
    browser.press_enter(&password).await;
    let next = totp::code_at(&secret, now() + totp::STEP_SECONDS);
    let code = browser.type_into("input[name=code]", &next).await;
    assert_eq!(browser.property("input[name=code]", "inputMode").await, "numeric");
    browser
        .drain_console_allowing("the password step", |m| m.contains("401"))
        .await;
    browser.checkpoint("org-second-step").await;
    browser.press_enter(&code).await;
    browser.find("[data-testid=nav-account]").await;
    browser.checkpoint("org-signed-in-with-a-code").await;
}

/// Whether the enrolment's QR code has loaded and shows whole at 200×200 CSS px, on the screen (it is
/// scrolled there), above the key and not covered.
const SHOWN_ABOVE_THE_KEY: &str = "
    const image = document.querySelector('[data-testid=totp-qr-code]');
    const key = document.querySelector('[data-testid=totp-secret]');
    if (!image || !key || !image.complete || image.naturalWidth === 0) return false;
    image.scrollIntoView({ block: 'center' });
    const box = image.getBoundingClientRect();
    const middle = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return box.width === 200 && box.height === 200 && box.left >= 0
        && box.right <= document.documentElement.clientWidth
        && box.bottom <= key.getBoundingClientRect().top && middle === image;";

async fn sign_in(browser: &Browser, username: &str) {
    browser.goto("/login").await;
    browser.type_into("input[name=username]", username).await;
    let password = browser.type_into("input[name=password]", "sheguan-demo").await;
    browser.press_enter(&password).await;
    browser.find("[data-testid=nav-account]").await;
}

async fn sign_out(browser: &Browser) {
    let button = browser.find("[data-testid=logout]").await;
    button.click().await.expect("sign out");
    browser.find("[data-testid=nav-login]").await;
}

async fn has_admin_links(browser: &Browser) -> bool {
    let found = browser
        .execute(
            "return document.querySelector(\"nav.app-nav a[href='/admin/users']\") !== null",
            vec![],
        )
        .await;
    found.as_bool().unwrap_or(true)
}

/// The registry's whole story as a new user tries it on a phone: the organization files a change, staff
/// return it for completion listing what is missing, the organization completes and resubmits it with an
/// edit, staff accept and review it and another bureau account approves it; the record shows the change with its audit trail and decision, and
/// a visitor finds the organization by its new name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_filed_on_a_phone_is_returned_resubmitted_approved_and_found_by_anyone() {
    const NEW_NAME: &str = "安徽省乡村振兴发展促进会";
    const DOMICILE: &str = "安徽省合肥市包河区徽州大道 1 号";
    let browser = Browser::open_demo(Viewport::Phone).await;
    let demo_org = browser
        .app
        .store
        .find_user_for_login("demo-org")
        .await
        .unwrap()
        .unwrap();
    let organization = demo_org.organization_id.expect("demo-org has an organization");

    // The organization files a change of domicile; the form checks the phone as it is typed.
    sign_in(&browser, "demo-org").await;
    browser.goto("/matters/new").await;
    browser.find("[data-testid=filing-form]").await;
    browser
        .type_into("input[name='changes.contact_phone']", "12345")
        .await;
    browser
        .find_text("[data-testid=filing-form] .field__error", "联系电话应为")
        .await;
    assert_eq!(
        browser.property("[data-testid=file-matter]", "disabled").await,
        "true"
    );
    browser
        .type_into("input[name='changes.contact_phone']", "13955123456")
        .await;
    browser
        .type_into("input[name='changes.domicile']", DOMICILE)
        .await;
    browser.type_into("textarea[name=note]", "办公场所搬迁").await;
    browser
        .wait_until(
            "the filing form to accept the application",
            "return !document.querySelector('[data-testid=file-matter]').disabled",
            vec![],
        )
        .await;
    browser.checkpoint("matter-filing").await;
    click(&browser, "[data-testid=file-matter]").await;
    browser.find_text("[data-testid=matter-state]", "已提交").await;
    let matter = matter_id(&browser).await;
    browser.checkpoint("matter-filed").await;
    sign_out(&browser).await;

    // Staff return it, listing what is missing.
    sign_in(&browser, "demo-admin").await;
    browser.goto(&format!("/matters/{matter}")).await;
    browser
        .type_into("textarea[name=items]", "新住所产权证明\n理事会决议")
        .await;
    click(&browser, "[data-testid=action-return]").await;
    browser.find_text("[data-testid=matter-state]", "待补正").await;
    browser.checkpoint("matter-returned").await;
    sign_out(&browser).await;

    // The organization sees what is missing, completes the application with a new name and resubmits.
    sign_in(&browser, "demo-org").await;
    browser.goto(&format!("/matters/{matter}")).await;
    browser
        .find_text("[data-testid=matter-missing]", "新住所产权证明、理事会决议")
        .await;
    browser.find("[data-testid=resubmit-form]").await;
    assert_eq!(
        browser
            .property(
                "[data-testid=resubmit-form] input[name='changes.domicile']",
                "value"
            )
            .await,
        DOMICILE
    );
    browser
        .type_into(
            "[data-testid=resubmit-form] input[name='changes.name']",
            "安徽省乡村振兴发展公司",
        )
        .await;
    browser
        .find_text("[data-testid=resubmit-form] .field__error", "名称应以")
        .await;
    browser
        .type_into("[data-testid=resubmit-form] input[name='changes.name']", NEW_NAME)
        .await;
    browser
        .type_into(
            "[data-testid=resubmit-form] textarea[name=note]",
            "办公场所搬迁并更名，已附产权证明和理事会决议",
        )
        .await;
    browser
        .wait_until(
            "the completed application to be accepted by the form",
            "return !document.querySelector('[data-testid=resubmit]').disabled",
            vec![],
        )
        .await;
    browser.checkpoint("matter-completing").await;
    click(&browser, "[data-testid=resubmit]").await;
    browser.find_text("[data-testid=matter-state]", "已提交").await;
    browser.find_text("[data-testid=matter-contents]", NEW_NAME).await;
    sign_out(&browser).await;

    // Staff accept (the time limit starts) and review it; the reviewer is not offered the decision.
    sign_in(&browser, "demo-admin").await;
    browser.goto(&format!("/matters/{matter}")).await;
    click(&browser, "[data-testid=action-accept]").await;
    browser.find_text("[data-testid=matter-state]", "已受理").await;
    browser.find_text("[data-testid=matter-due]", "办结时限").await;
    click(&browser, "[data-testid=action-start_review]").await;
    browser.find_text("[data-testid=matter-state]", "审查中").await;
    browser
        .find_text("[data-testid=matter-duties]", "另一名工作人员")
        .await;
    let offered = browser
        .execute(
            "return document.querySelector('[data-testid=action-approve]') !== null",
            vec![],
        )
        .await;
    assert_eq!(offered, json!(false), "the reviewer is not offered the approval");
    browser.checkpoint("matter-reviewed").await;
    sign_out(&browser).await;

    // Another bureau account approves it.
    sign_in(&browser, "demo-approver").await;
    browser.goto(&format!("/matters/{matter}")).await;
    click(&browser, "[data-testid=action-approve]").await;
    browser.find_text("[data-testid=matter-state]", "准予登记").await;
    browser.find_text(".notice--ok", "皖社许〔").await;
    browser.checkpoint("matter-approved").await;

    // The registry shows the change, its decision, its timeline and its audit trail.
    browser.goto(&format!("/organizations/{organization}")).await;
    browser
        .find_text("[data-testid=organization-name]", NEW_NAME)
        .await;
    browser.find_text("[data-testid=certificate]", DOMICILE).await;
    browser.find_text("[data-testid=decisions]", "准予变更登记").await;
    browser.find_text("[data-testid=timeline]", "准予变更登记").await;
    let audit = browser
        .find_text("[data-testid=organization-audit]", NEW_NAME)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("demo-approver"),
        "the audit trail names who approved: {audit}"
    );
    assert!(
        audit.contains("安徽省乡村振兴促进会"),
        "the old name is kept: {audit}"
    );
    browser.checkpoint("organization-changed").await;
    sign_out(&browser).await;

    // Anyone, without signing in, finds it by its new name.
    browser.goto("/lookup").await;
    let search = browser.type_into("[data-testid=lookup-search]", NEW_NAME).await;
    browser.press_enter(&search).await;
    browser.find_text("[data-testid=lookup-results]", NEW_NAME).await;
    browser.checkpoint("lookup-new-name").await;
}

async fn click(browser: &Browser, css: &str) {
    let element = browser.find(css).await;
    element.click().await.expect("click");
}

/// The id of the matter the page shows (`/matters/{id}`).
async fn matter_id(browser: &Browser) -> i64 {
    let path = browser.execute("return location.pathname", Vec::new()).await;
    path.as_str()
        .and_then(|p| p.strip_prefix("/matters/"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a matter's page: {path}"))
}

/// The "done when": on a phone, an organization user reports rural aid with a photo while the
/// network is cut, sees it waiting in the outbox, and it is sent once the network is back — exactly one
/// entry on the server, with its photo; staff verify it in the queue and see it in the totals. The report
/// form is opened afresh with no signal at all: the service worker kept the app at the first visit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_made_offline_on_a_phone_is_sent_once_when_the_network_returns() {
    use domain::api::{Contribution, ContributionTotals, Page};
    use domain::money::Fen;

    let browser = Browser::open_demo_with_signal(Viewport::Phone).await;
    let org = browser.app.signed_in_as("demo-org").await;
    let admin = browser.app.signed_in_as("demo-admin").await;
    let own = async || -> Page<Contribution> {
        org.get_json("/api/v1/contributions?per_page=100")
            .await
            .expect("own entries")
    };
    let before = own().await.total;
    let this_year = chrono::Utc::now().format("%Y").to_string();
    let province_total = async || -> Fen {
        let path = "/api/v1/contributions/totals?by=year";
        let totals: ContributionTotals = admin.get_json(path).await.expect("province totals");
        totals.amount_fen
    };
    let total_before = province_total().await;

    let photo = std::env::temp_dir().join(format!("sheguan-e2e-{}.jpg", std::process::id()));
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    jpeg.extend(std::iter::repeat_n(0x42, 2048));
    jpeg.extend([0xFF, 0xD9]);
    std::fs::write(&photo, &jpeg).expect("write the photo");

    sign_in(&browser, "demo-org").await;
    browser.goto("/contributions").await;
    browser.find("form input[name=amount]").await;
    // An organization user's pages come with the organization bundle, not the whole workspace.
    let bundle = "return [...document.scripts].map(s => s.src).find(src => src.includes('-boot-')) || ''";
    let boot = browser.execute(bundle, vec![]).await;
    assert!(
        boot.as_str()
            .is_some_and(|src| src.contains("/assets/organization-boot-")),
        "{boot}"
    );
    browser.wait_for_service_worker().await;
    browser.checkpoint("report-form").await;

    // The signal goes, the server is out of reach; the form is opened again all the same, from the
    // service worker's copy of the app, for the organization user last signed in.
    browser.lose_signal(true).await;
    browser.goto("/contributions").await;
    browser.find("[data-testid=offline-start]").await;
    assert!(
        browser.served_by_service_worker().await,
        "the service worker served the page"
    );
    let description = "断网填报：村道修缮物资运费";
    browser.choose("kind", "帮扶资金").await;
    browser.type_into("input[name=amount]", "1234567.89").await;
    browser.type_into("textarea[name=description]", description).await;
    let file = browser.find("input[name=file]").await;
    file.send_keys(&photo.display().to_string())
        .await
        .expect("choose the photo");
    browser
        .find("form button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");

    browser.find_text("[data-testid=outbox]", "1 条").await;
    browser
        .find_text("[data-testid=outbox-item]", "1,234,567.89")
        .await;
    browser.find_text("[data-testid=outbox-item]", "1 个文件").await;
    browser.find_text("[data-testid=outbox-badge]", "1").await;
    browser.screenshot("report-offline-waiting").await;
    browser.assert_fits_the_screen("report offline, waiting").await;
    let offline = |m: &str| {
        m.contains("ERR_INTERNET_DISCONNECTED")
            || m.contains("ERR_EMPTY_RESPONSE")
            || m.contains("ERR_CONNECTION")
    };
    browser.drain_console_allowing("report offline", offline).await;
    assert_eq!(
        own().await.total,
        before,
        "nothing reached the server while offline"
    );

    // The signal is back: the outbox sends the entry, then its photo, then submits it — once.
    browser.lose_signal(false).await;
    browser
        .wait_until(
            "the outbox to be empty",
            "return document.querySelector('[data-testid=outbox]') === null \
             && document.querySelector('[data-testid=outbox-badge]') === null",
            vec![],
        )
        .await;
    browser.find("[data-testid=report-sent]").await;
    browser
        .find_text("[data-testid=my-contributions]", "1,234,567.89")
        .await;
    browser.drain_console_allowing("report sent", offline).await;
    browser.checkpoint("report-sent").await;

    let after = own().await;
    assert_eq!(after.total, before + 1, "exactly one entry on the server");
    let sent: Vec<&Contribution> = after
        .items
        .iter()
        .filter(|e| e.description == description)
        .collect();
    assert_eq!(sent.len(), 1, "exactly one entry with the report's description");
    let entry = sent[0];
    assert_eq!(entry.amount_fen, Fen::new(123_456_789));
    assert_eq!(entry.status.key(), "submitted");
    let detail: Contribution = org
        .get_json(&format!("/api/v1/contributions/{}", entry.id))
        .await
        .expect("the entry");
    assert_eq!(detail.evidence.len(), 1, "the photo went with it, once");
    assert_eq!(detail.evidence[0].size_bytes, jpeg.len() as i64);
    let _ = std::fs::remove_file(&photo);

    // Staff verify it from the queue and see it in the province totals.
    sign_out(&browser).await;
    sign_in(&browser, "demo-admin").await;
    browser
        .goto(&format!(
            "/contributions?organization_id={}",
            entry.organization_id
        ))
        .await;
    let item = format!("//ul[@data-testid='review-queue']/li[contains(., '{description}')]");
    browser.find_xpath(&item).await;
    browser.checkpoint("review-queue").await;
    browser
        .find_xpath(&format!("{item}//button[contains(@class, 'button--primary')]"))
        .await
        .click()
        .await
        .expect("verify");
    browser
        .wait_until(
            "the entry to leave the queue",
            "return !document.querySelector('[data-testid=review-queue]') \
             || ![...document.querySelectorAll('[data-testid=review-queue] li')].some(li => li.textContent.includes(arguments[0]))",
            vec![json!(description)],
        )
        .await;
    let verified: Contribution = admin
        .get_json(&format!("/api/v1/contributions/{}", entry.id))
        .await
        .expect("the entry");
    assert_eq!(verified.status.key(), "verified");
    let total_after = province_total().await;
    assert_eq!(
        total_after.as_i64() - total_before.as_i64(),
        123_456_789,
        "the verified entry counts in the province totals"
    );
    // The province totals by year and city show it, and drilling from the total lists it.
    let path = format!("/api/v1/contributions/totals?by=year,city&year={this_year}&city_code=340000");
    let group: ContributionTotals = admin.get_json(&path).await.expect("the group's total");
    browser.goto("/contributions").await;
    browser
        .find_text("[data-testid=province-totals]", &group.amount_fen.format_wan_yi())
        .await;
    browser.checkpoint("province-totals").await;
    browser
        .goto(&format!(
            "/contributions?counted=true&year={this_year}&organization_id={}",
            entry.organization_id
        ))
        .await;
    browser
        .find_text("[data-testid=counted-entries]", description)
        .await;
    browser.checkpoint("counted-entries").await;

    // The bureau's check of children funded twice fits the phone too.
    browser.goto("/contributions").await;
    browser
        .find("[data-testid=duplicates-link]")
        .await
        .click()
        .await
        .expect("open the duplicates");
    browser.find_text("main h1", "重复资助核查").await;
    browser
        .wait_until(
            "the duplicates to load",
            "return !!document.querySelector('[data-testid=duplicates]') || document.body.textContent.includes('没有发现重复资助')",
            vec![],
        )
        .await;
    browser.checkpoint("duplicates").await;
}
