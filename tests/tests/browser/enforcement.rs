//! Enforcement casework on a phone, as the "done when" tells it: someone reports a suspicious
//! body without signing in; city staff investigate it with another agency; the bureau publishes it in the
//! next batch; the public finds it; it is banned. An online petition gets a receipt, is accepted, raises a
//! clue (the clue names it, it lists the clue), is extended once, refused closure before a written reply
//! (the server's Chinese message on screen), replied to and closed, and the petitioner follows it with the
//! receipt. A penalty case runs from the notice through a hearing request and the hearing to a revocation
//! that changes the registry; the revoked organization still acting becomes a case from its profile.

use domain::api::{OrganizationSummary, Page, Petition};
use tests::browser::{Browser, Viewport};

use super::{click, sign_in, sign_out};

/// Picks `action` in the step form (its Chinese label) and waits for the form to follow. The form is built
/// again when the record it follows is fetched again after a step; a choice made on the old form is made
/// again on the new one.
async fn choose_action(browser: &Browser, label: &str) {
    const SHOWN: &str = "const s = document.querySelector('select[name=action]'); \
                         return s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''";
    for _ in 0..5 {
        browser.choose("action", label).await;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        if browser.execute(SHOWN, Vec::new()).await == label {
            return;
        }
    }
    panic!("the step form does not keep the action {label}");
}

/// Submits the step form and waits for the page to show `expected` in `css`.
async fn take_step(browser: &Browser, css: &str, expected: &str) {
    click(browser, "[data-testid=take-step]").await;
    browser.find_text(css, expected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_reported_without_signing_in_is_investigated_published_found_and_banned() {
    const NAME: &str = "中华星光国学研究院肥东分院";
    let browser = Browser::open_demo(Viewport::Phone).await;

    // A visitor follows the home page's link and reports it.
    browser.goto("/").await;
    click(
        &browser,
        "[data-testid=home-public-services] a[href='/illegal-organizations/report']",
    )
    .await;
    browser.type_into("input[name=name]", NAME).await;
    browser.choose("division_city", "合肥市").await;
    browser.choose("division_county", "肥东县").await;
    browser
        .type_into("input[name=address]", "肥东县店埠镇龙城大厦 6 层")
        .await;
    browser
        .type_into(
            "textarea[name=activities]",
            "以国学研究院名义招收学员、颁发证书并收取费用",
        )
        .await;
    browser.type_into("input[name=contact]", "13955123456").await;
    browser.checkpoint("illegal-report-form").await;
    click(&browser, "[data-testid=send-report]").await;
    browser.find("[data-testid=report-received]").await;
    browser.checkpoint("illegal-report-received").await;

    // City staff open the clue, investigate it and record a joint inspection with market regulation.
    sign_in(&browser, "demo-hefei").await;
    browser.goto("/illegal?stage=clue").await;
    browser.find_text("[data-testid=illegal-cases]", NAME).await;
    browser.checkpoint("illegal-clues").await;
    browser
        .find_xpath(&format!(
            "//ul[@data-testid='illegal-cases']//a[contains(., '{NAME}')]"
        ))
        .await
        .click()
        .await
        .expect("open the clue");
    browser.find_text("[data-testid=case-name]", NAME).await;
    browser
        .type_into("textarea[name=text]", "举报线索具体，立案调查")
        .await;
    take_step(&browser, "[data-testid=case-steps]", "立案调查").await;
    choose_action(&browser, "调查").await;
    click(&browser, "input[name=agencies][value=market_regulation]").await;
    browser
        .type_into(
            "textarea[name=text]",
            "会同市场监管部门现场检查，查获收费票据和证书样本",
        )
        .await;
    take_step(&browser, "[data-testid=case-steps]", "市场监管").await;
    browser.checkpoint("illegal-case-investigated").await;
    let path = browser.execute("return location.pathname", Vec::new()).await;
    let case_path = path.as_str().expect("the case's path").to_owned();
    let case_id = case_path.trim_start_matches("/illegal/").to_owned();
    sign_out(&browser).await;

    // The bureau publishes it in the next batch.
    sign_in(&browser, "demo-admin").await;
    browser.goto("/illegal/batches").await;
    click(&browser, &format!("input[name=case_ids][value='{case_id}']")).await;
    browser.checkpoint("illegal-batch-assembled").await;
    click(&browser, "[data-testid=publish-batch]").await;
    browser.find("[data-testid=batch-published]").await;
    sign_out(&browser).await;

    // Anyone finds it on the published list.
    browser.goto("/illegal-organizations").await;
    let search = browser
        .type_into("[data-testid=illegal-search]", "星光国学")
        .await;
    browser.press_enter(&search).await;
    browser.find_text("[data-testid=public-illegal]", NAME).await;
    browser.checkpoint("illegal-public-list").await;

    // Staff ban it: the body's registry status becomes 取缔, and the public list says so.
    sign_in(&browser, "demo-hefei").await;
    browser.goto(&case_path).await;
    choose_action(&browser, "取缔").await;
    browser
        .type_into("textarea[name=text]", "合民取字〔2026〕3号")
        .await;
    click(&browser, "[data-testid=take-step]").await;
    browser.find_text("[data-testid=body-status]", "取缔").await;
    browser.checkpoint("illegal-banned").await;
    sign_out(&browser).await;
    browser
        .goto("/illegal-organizations?q=%E6%98%9F%E5%85%89%E5%9B%BD%E5%AD%A6")
        .await;
    browser.find_text("[data-testid=public-illegal]", "已取缔").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_petition_gets_a_receipt_and_is_accepted_extended_replied_and_closed() {
    const MATTER: &str = "反映肥东县某协会强制会员缴纳赞助费，请求查处（浏览器测试）";
    let browser = Browser::open_demo(Viewport::Phone).await;

    browser.goto("/").await;
    click(&browser, "[data-testid=home-public-services] a[href='/petition']").await;
    browser.type_into("input[name=name]", "王小明").await;
    browser.type_into("input[name=phone]", "13955123456").await;
    browser.choose("division_city", "合肥市").await;
    browser.choose("division_county", "肥东县").await;
    browser.type_into("textarea[name=matter]", MATTER).await;
    browser.checkpoint("petition-form").await;
    click(&browser, "[data-testid=send-petition]").await;
    let receipt = browser
        .find("[data-testid=receipt-number]")
        .await
        .text()
        .await
        .expect("the receipt number");
    assert!(receipt.starts_with("XF"), "{receipt}");
    browser.find_text("[data-testid=acceptance-due]", "最迟").await;
    browser.checkpoint("petition-receipt").await;
    let progress = format!("/petition/progress?receipt={receipt}");
    browser.goto(&progress).await;
    browser.find_text("[data-testid=progress-stage]", "待受理").await;

    let admin = browser.app.signed_in_as("demo-admin").await;
    let list: Page<Petition> = admin
        .get_json("/api/v1/petitions?stage=received&channel=online&per_page=100")
        .await
        .expect("the petition list");
    let id = list
        .items
        .iter()
        .find(|p| p.matter == MATTER)
        .expect("the online petition on the list")
        .id;

    sign_in(&browser, "demo-hefei").await;
    browser.goto("/petitions?channel=online").await;
    browser.find("[data-testid=petition-list]").await;
    browser.checkpoint("petition-list").await;
    browser.goto(&format!("/petitions/{id}")).await;
    browser.find_text("[data-testid=petition]", "王*明").await;
    take_step(&browser, "[data-testid=petition-stage]", "办理中").await;

    // The petition raises a clue: the form opens with the petition attached and its matter filled in.
    click(&browser, "[data-testid=raise-clue]").await;
    browser
        .find_text("[data-testid=raised-from]", &format!("来自信访 #{id}"))
        .await;
    browser.type_into("input[name=new_name]", "肥东县某协会").await;
    browser.checkpoint("petition-raises-clue").await;
    click(&browser, "details.panel form.stack button[type=submit]").await;
    browser
        .find_text("[data-testid=case-petition]", &format!("来源信访 #{id}"))
        .await;
    browser.find_text("main dl.facts", "强制会员").await;
    click(&browser, "[data-testid=case-petition]").await;
    browser
        .find_text("[data-testid=raised-clues]", "肥东县某协会")
        .await;
    choose_action(&browser, "延期").await;
    browser.type_into("input[name=days]", "10").await;
    browser
        .type_into("textarea[name=text]", "需会同市场监管部门核查收费情况")
        .await;
    take_step(&browser, "[data-testid=petition]", "10 个工作日").await;

    // Closing before the written reply is refused, in the server's words.
    choose_action(&browser, "销号").await;
    click(&browser, "[data-testid=take-step]").await;
    browser
        .find_text("[data-testid=step-error]", "尚未书面答复")
        .await;
    // The refusal is an answer (409), which the console reports as a failed resource.
    let refused = |m: &str| m.contains("status of 409");
    browser
        .drain_console_allowing("petition close refused", refused)
        .await;
    browser.checkpoint("petition-close-refused").await;

    choose_action(&browser, "书面答复").await;
    browser
        .type_into(
            "textarea[name=text]",
            "经核查，已责令该协会退还赞助费并限期整改。",
        )
        .await;
    take_step(&browser, "[data-testid=petition-stage]", "已答复").await;
    browser.choose("satisfaction", "满意").await;
    take_step(&browser, "[data-testid=petition-stage]", "已销号").await;
    browser.checkpoint("petition-closed").await;
    sign_out(&browser).await;

    // The petitioner sees the progress, never the content.
    browser.goto(&progress).await;
    browser.find_text("[data-testid=progress-stage]", "已销号").await;
    let page = browser.find("main").await.text().await.expect("the page's text");
    assert!(!page.contains("赞助费"), "the content is not shown: {page}");
    browser.checkpoint("petition-progress-closed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_penalty_case_runs_through_a_hearing_to_a_revocation_that_changes_the_registry() {
    let browser = Browser::open_demo(Viewport::Phone).await;
    let hefei = browser.app.signed_in_as("demo-hefei").await;
    let found: Page<OrganizationSummary> = hefei
        .get_json("/api/v1/organizations?status=normal&level=county&per_page=50")
        .await
        .expect("Hefei's registry");
    let penalized: Page<domain::api::PenaltyCase> = hefei
        .get_json("/api/v1/penalties?per_page=100")
        .await
        .expect("the cases");
    let org = found
        .items
        .iter()
        .find(|o| penalized.items.iter().all(|c| c.organization_id != o.id))
        .expect("an organization in good standing");

    sign_in(&browser, "demo-hefei").await;
    browser.goto("/penalties").await;
    browser.find("[data-testid=penalty-list]").await;
    browser.checkpoint("penalty-list").await;
    browser
        .execute(
            "document.querySelector('details.panel').open = true; return true",
            Vec::new(),
        )
        .await;
    let search = browser.type_into("input[name=organization_q]", &org.name).await;
    browser.press_enter(&search).await;
    browser
        .find_xpath(&format!(
            "//button[contains(@class, 'chip') and normalize-space()='{}']",
            org.name
        ))
        .await
        .click()
        .await
        .expect("choose the organization");
    browser
        .find_text("[data-testid=chosen-organization]", &org.name)
        .await;
    browser
        .type_into("textarea[name=facts]", "擅自设立分支机构并收取会费")
        .await;
    browser
        .type_into("textarea[name=evidence]", "分支机构成立文件、收费凭证 12 份")
        .await;
    browser
        .type_into(
            "input[name=rule_broken]",
            "《社会团体登记管理条例》第三十条第一款第（五）项",
        )
        .await;
    click(&browser, "details.panel form.stack button[type=submit]").await;
    browser.find("[data-testid=penalty-step]").await;

    click(&browser, "input[name=kinds][value=revocation]").await;
    browser
        .type_into(
            "textarea[name=text]",
            "拟撤销登记。你单位有权陈述、申辩，并可在五日内要求听证。",
        )
        .await;
    take_step(&browser, "[data-testid=penalty-case]", "撤销登记").await;
    choose_action(&browser, "申请听证").await;
    click(&browser, "[data-testid=take-step]").await;
    browser
        .find_xpath("//select[@name='action']/option[1][normalize-space()='举行听证']")
        .await;
    browser
        .type_into("textarea[name=text]", "当事人对违法事实无异议")
        .await;
    take_step(&browser, "[data-testid=penalty-case]", "当事人对违法事实无异议").await;
    choose_action(&browser, "作出处罚决定").await;
    browser
        .type_into(
            "textarea[name=text]",
            "依据《社会团体登记管理条例》第三十条，决定撤销登记。",
        )
        .await;
    take_step(&browser, "[data-testid=penalty-decision]", "皖社罚").await;
    browser.checkpoint("penalty-decided").await;

    browser.goto(&format!("/organizations/{}", org.id)).await;
    browser.find_text("main .lead", "撤销").await;
    browser
        .find_text("[data-testid=penalty-decisions]", "皖社罚")
        .await;
    browser.checkpoint("penalty-registry").await;

    // Revoked, it still acts under its name: staff file it as an illegal organization from its profile.
    click(&browser, "[data-testid=still-acting]").await;
    browser
        .find_text("[data-testid=raised-organization]", &org.name)
        .await;
    browser
        .type_into(
            "textarea[name=new_activities]",
            "撤销登记后仍以原名义召开会员大会、收取会费",
        )
        .await;
    click(&browser, "details.panel form.stack button[type=submit]").await;
    browser.find_text("[data-testid=case-name]", &org.name).await;
    click(&browser, "[data-testid=case-organization]").await;
    browser
        .find_text("[data-testid=organization-name]", &org.name)
        .await;
    browser.checkpoint("still-acting-case").await;
}
