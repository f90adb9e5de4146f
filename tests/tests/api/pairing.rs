//! 百社进百村 rounds through the API, on both backends: opening a round, societies joining, staff recording
//! needs, running, steering with pins and forbids, comparing, confirming; bad input; who may do what.

use domain::api::{
    Agreement, AuditRecord, ConcludeAgreementRequest, ConfirmRunRequest, ConstraintKind, JoinRoundRequest,
    OpenRoundRequest, Page, PairBreakdown, PairConstraint, Round, RoundRules, RoundSociety, RoundVillage,
    RunComparison, RunDetail, VillageNeedsRequest,
};
use domain::pairing::round::PriorityClass;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sheguan::store::AuditEntry;
use sheguan::store::pairing::Membership;
use tests::{ApiResult, Backend, TestApp, decode, on_both_backends, spawn_app_with};

on_both_backends!(
    a_round_is_opened_joined_solved_steered_compared_and_confirmed_into_agreements_the_society_sees,
    bad_input_is_refused_with_422_naming_the_field_and_nothing_is_stored,
    hefei_staff_cannot_record_needs_for_a_wuhu_village_and_an_org_user_cannot_run_or_confirm,
    every_pairing_route_admits_exactly_the_roles_its_openapi_entry_names,
    the_demo_data_holds_an_open_round_with_societies_and_village_needs,
    an_agreement_is_concluded_on_a_day_for_a_reason_audited_and_shown_to_society_staff_and_public,
    unknown_ids_infeasible_pins_and_coordinates_outside_anhui_are_refused_and_nothing_is_half_saved,
);

async fn demo_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |config| config.demo = true).await
}

fn rules() -> RoundRules {
    RoundRules {
        priority_bonus: 200,
        distance_penalty_per_km: 1,
        max_distance_km: 300,
    }
}

async fn open(admin: &TestApp, name: &str, counties: &[&str]) -> Round {
    let body = OpenRoundRequest {
        name: name.into(),
        counties: counties.iter().map(|c| (*c).into()).collect(),
        rules: rules(),
    };
    admin.open_round(&body).await.expect("the round opens")
}

/// The first 100 villages of `county` in `round`, as `staff` see them.
async fn villages(staff: &TestApp, round: i64, county: &str) -> Vec<RoundVillage> {
    let query = format!("county={county}&per_page=100");
    let page = staff.list_round_villages(round, &query).await;
    page.expect("villages").items
}

/// Records a village's needs (`[("education", 5)]`), as a former poor village when `priority`.
async fn record(
    staff: &TestApp,
    round: i64,
    code: &str,
    needs: &[(&str, i64)],
    priority: bool,
) -> ApiResult<RoundVillage> {
    let body = VillageNeedsRequest {
        needs: needs
            .iter()
            .map(|(need, level)| ((*need).to_owned(), *level))
            .collect(),
        priority_class: priority.then_some(PriorityClass::FormerlyPoor),
    };
    staff.record_village_needs(round, code, &body).await
}

/// The term of the agreements a confirmation makes.
fn term(start: &str, end: &str) -> ConfirmRunRequest {
    ConfirmRunRequest {
        start_date: start.parse().unwrap(),
        end_date: end.parse().unwrap(),
    }
}

/// Adds a demo organization to a round directly in the store (there is no signed-in user for it).
async fn join_directly(
    app: &TestApp,
    round: i64,
    organization_name: &str,
    education: i64,
    capacity: i64,
) -> i64 {
    let credit_code = credit_code_of(organization_name);
    let id = app
        .store
        .organization_id_by_credit_code(&credit_code)
        .await
        .unwrap()
        .expect("organization");
    let membership = Membership {
        capabilities: [
            (domain::pairing::Need::Education, education),
            (domain::pairing::Need::Health, 3),
        ]
        .into(),
        capacity,
        home_county: "340122".into(),
        funds_fen: 100_000,
    };
    let actor = sheguan::store::Actor {
        user_id: None,
        name: "test".into(),
        role: None,
        client_addr: "test".into(),
    };
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_society",
        entity_id: id.to_string(),
        action: "join",
        before: None,
        after: None,
        reason: None,
    };
    app.store
        .join_round(round, id, &membership, &audit)
        .await
        .unwrap();
    id
}

/// The credit code the demo seed gives one of its provincial social groups.
fn credit_code_of(name: &str) -> String {
    let names = ["安徽省乡村振兴促进会", "安徽省人工智能产业协会"];
    let i = names
        .iter()
        .position(|n| *n == name)
        .expect("a demo organization");
    domain::registry::credit_code::CreditCode::generate(
        domain::registry::credit_code::CreditCategory::SocialGroup,
        "340000",
        10_000 + i as u64,
    )
    .as_str()
    .to_owned()
}

fn pair_keys(run: &RunDetail) -> Vec<(i64, String)> {
    run.pairs
        .iter()
        .map(|p| (p.organization_id, p.village_code.clone()))
        .collect()
}

async fn a_round_is_opened_joined_solved_steered_compared_and_confirmed_into_agreements_the_society_sees(
    backend: Backend,
) {
    // Arrange: a round over 长丰县 and 金寨县, two societies, five villages with needs.
    let app = demo_app(backend).await;
    let (admin, hefei, org) = (
        app.signed_in_as("demo-admin").await,
        app.signed_in_as("demo-hefei").await,
        app.signed_in_as("demo-org").await,
    );
    let round = open(&admin, "测试轮次", &["340121", "341524"]).await;
    assert_eq!(round.counties.len(), 2);
    let join = JoinRoundRequest {
        capabilities: [("education".to_owned(), 8), ("industry".to_owned(), 5)].into(),
        capacity: 2,
        home_county: "340122".into(),
        funds_fen: 50_000_000,
    };
    let joined = org.join_round(round.id, &join).await.expect("joins");
    assert_eq!(joined.organization_name, "安徽省乡村振兴促进会");
    let other = join_directly(&app, round.id, "安徽省人工智能产业协会", 6, 2).await;
    let changfeng = villages(&hefei, round.id, "340121").await;
    let jinzhai = villages(&admin, round.id, "341524").await;
    for (i, village) in changfeng.iter().take(3).enumerate() {
        record(
            &hefei,
            round.id,
            &village.code,
            &[("education", 5 + i as i64)],
            i == 0,
        )
        .await
        .expect("recorded");
    }
    for village in jinzhai.iter().take(2) {
        record(
            &admin,
            round.id,
            &village.code,
            &[("industry", 7), ("health", 2)],
            true,
        )
        .await
        .expect("recorded");
    }

    // Act: run, then forbid one proposed pair and pin one that was not proposed (the bureau: the pairs
    // span 合肥 and 六安), and run again.
    let first: RunDetail = hefei.run_round(round.id).await.expect("runs");
    assert_eq!(first.run.input.villages, 5);
    assert_eq!(
        first.pairs.len(),
        4,
        "two societies of capacity two fill four villages"
    );
    let forbidden = pair_keys(&first)[0].clone();
    let society = joined.organization_id;
    let pinned = [society, other]
        .into_iter()
        .flat_map(|s| first.unpaired_villages.iter().map(move |v| (s, v.clone())))
        .next()
        .expect("an unpaired village");
    for (pair, kind) in [
        (&forbidden, ConstraintKind::Forbid),
        (&pinned, ConstraintKind::Pin),
    ] {
        let body = PairConstraint {
            organization_id: pair.0,
            village_code: pair.1.clone(),
            kind: Some(kind),
        };
        let _: Vec<PairConstraint> = admin.set_constraint(round.id, &body).await.expect("steered");
    }
    let second: RunDetail = hefei.run_round(round.id).await.expect("runs");

    // Assert: the pin is in, the forbidden pair is out, and the comparison says so.
    let keys = pair_keys(&second);
    assert!(keys.contains(&pinned), "the pinned pair is proposed");
    assert!(!keys.contains(&forbidden), "the forbidden pair is not proposed");
    assert!(
        second
            .pairs
            .iter()
            .any(|p| p.pinned && (p.organization_id, p.village_code.clone()) == pinned)
    );
    let comparison: RunComparison = hefei
        .compare_run(round.id, second.run.id)
        .await
        .expect("compared");
    assert_eq!(comparison.from_run, first.run.id);
    assert!(
        comparison
            .added
            .iter()
            .any(|p| (p.organization_id, p.village_code.clone()) == pinned)
    );
    assert!(
        comparison
            .removed
            .iter()
            .any(|p| (p.organization_id, p.village_code.clone()) == forbidden)
    );
    assert_eq!(
        comparison.objective_delta.total_score,
        second.run.objective.total_score - first.run.objective.total_score
    );
    let p = &second.pairs[0];
    let breakdown: PairBreakdown = hefei
        .explain_pair(round.id, second.run.id, p.organization_id, &p.village_code)
        .await
        .expect("explained");
    assert_eq!(breakdown.explanation.pair.score, p.score);
    assert!(breakdown.text.contains("得分"), "{}", breakdown.text);

    // Confirmation turns the pairs into agreements the society sees on its phone and the village shows.
    let refused = org
        .confirm_run(round.id, second.run.id, &term("2026-03-01", "2028-02-28"))
        .await
        .unwrap_err();
    assert_eq!(refused.0, StatusCode::FORBIDDEN);
    let agreements: Vec<Agreement> = admin
        .confirm_run(round.id, second.run.id, &term("2026-03-01", "2028-02-28"))
        .await
        .expect("confirmed");
    assert_eq!(agreements.len(), second.pairs.len());
    let mine: Vec<Agreement> = org.my_pairings().await.expect("my pairings");
    let own = second
        .pairs
        .iter()
        .filter(|p| p.organization_id == society)
        .count();
    assert_eq!(mine.len(), own);
    assert!(
        mine.iter()
            .all(|a| a.organization_name == "安徽省乡村振兴促进会" && a.round_name == "测试轮次")
    );
    let code = &second.pairs[0].village_code;
    let societies: Vec<Agreement> = app.village_societies(code).await.expect("public");
    assert_eq!(societies.len(), 1);
    let again = admin
        .confirm_run(round.id, first.run.id, &term("2026-03-01", "2028-02-28"))
        .await
        .unwrap_err();
    assert_eq!(again.0, StatusCode::CONFLICT, "a round is confirmed once");
}

fn field_of(error: &(StatusCode, domain::api::ApiError)) -> Vec<&str> {
    assert_eq!(error.0, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", error.1);
    error.1.error.fields.iter().map(|f| f.field.as_str()).collect()
}

async fn bad_input_is_refused_with_422_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let app = demo_app(backend).await;
    let (admin, org) = (
        app.signed_in_as("demo-admin").await,
        app.signed_in_as("demo-org").await,
    );
    let before: Vec<Round> = admin.list_rounds().await.unwrap();

    let city = OpenRoundRequest {
        name: "坏轮次".into(),
        counties: vec!["340100".into(), "999999".into()],
        rules: rules(),
    };
    let error = admin.open_round(&city).await.unwrap_err();
    assert_eq!(field_of(&error), ["counties[0]", "counties[1]"]);
    let far = OpenRoundRequest {
        rules: RoundRules {
            max_distance_km: 0,
            ..rules()
        },
        counties: vec!["340121".into()],
        ..city
    };
    let error = admin.open_round(&far).await.unwrap_err();
    assert_eq!(field_of(&error), ["rules.max_distance_km"]);
    assert!(
        error.1.error.message.contains("最大距离"),
        "{}",
        error.1.error.message
    );
    let after: Vec<Round> = admin.list_rounds().await.unwrap();
    assert_eq!(after.len(), before.len(), "no round was stored");

    let round = open(&admin, "校验轮次", &["340121"]).await;
    let bad = JoinRoundRequest {
        capabilities: [("education".to_owned(), 11)].into(),
        capacity: -1,
        home_county: "340100".into(),
        funds_fen: 0,
    };
    let error = org.join_round(round.id, &bad).await.unwrap_err();
    assert_eq!(
        field_of(&error),
        ["capabilities.education", "capacity", "home_county"]
    );
    assert!(error.1.field_message("capacity").unwrap().contains("不能为负数"));
    let missing = org.my_membership(round.id).await.unwrap();
    assert_eq!(missing, None, "the society did not half-join");

    let hefei = app.signed_in_as("demo-hefei").await;
    let village = villages(&hefei, round.id, "340121").await.remove(0);
    let error = record(&hefei, round.id, &village.code, &[("industry", 12)], false)
        .await
        .unwrap_err();
    assert_eq!(field_of(&error), ["needs.industry"]);
    // 肥西县 (340123) is in 合肥's scope but not in the round's counties.
    let outside: Page<domain::api::Village> = app
        .list_villages("county=340123&kind=village&per_page=1")
        .await
        .unwrap();
    let error = record(
        &hefei,
        round.id,
        &outside.items[0].code,
        &[("industry", 3)],
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(field_of(&error), ["county"]);
    let unknown = PairConstraint {
        organization_id: 999_999,
        village_code: village.code.clone(),
        kind: Some(ConstraintKind::Pin),
    };
    let error = hefei.set_constraint(round.id, &unknown).await.unwrap_err();
    assert_eq!(field_of(&error), ["organization_id", "village_code"]);
    let fresh: Round = admin.find_round(round.id).await.unwrap();
    assert_eq!(
        (fresh.societies, fresh.villages),
        (0, 0),
        "nothing was half-saved"
    );
    let constraints: Vec<PairConstraint> = hefei.list_constraints(round.id).await.unwrap();
    assert!(constraints.is_empty());
}

async fn hefei_staff_cannot_record_needs_for_a_wuhu_village_and_an_org_user_cannot_run_or_confirm(
    backend: Backend,
) {
    let app = demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let (hefei, wuhu, org) = (
        app.signed_in_as("demo-hefei").await,
        app.signed_in_as("demo-wuhu").await,
        app.signed_in_as("demo-org").await,
    );
    // 鸠江区 (340207) is in 芜湖.
    let round = open(&admin, "芜湖轮次", &["340207"]).await;
    let code = villages(&wuhu, round.id, "340207").await.remove(0).code;
    assert!(
        villages(&hefei, round.id, "340207").await.is_empty(),
        "合肥 staff do not see 芜湖's villages"
    );
    let error = record(&hefei, round.id, &code, &[("education", 5)], false)
        .await
        .unwrap_err();
    assert_eq!(
        error.0,
        StatusCode::NOT_FOUND,
        "out of scope answers 404 like the rest of the API"
    );
    record(&wuhu, round.id, &code, &[("education", 5)], false)
        .await
        .expect("芜湖 staff record their own village");

    let run = org.run_round(round.id).await.unwrap_err();
    assert_eq!(run.0, StatusCode::FORBIDDEN);
    // An empty body: the role is refused before the body is read.
    let opened = decode::<Round>(org.post_json("/api/v1/rounds", &json!({})).await)
        .await
        .unwrap_err();
    assert_eq!(opened.0, StatusCode::FORBIDDEN);
    let detail: RunDetail = wuhu.run_round(round.id).await.unwrap();
    let confirm = term("2026-03-01", "2027-03-01");
    assert_eq!(
        org.confirm_run(round.id, detail.run.id, &confirm)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        wuhu.confirm_run(round.id, detail.run.id, &confirm)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn every_pairing_route_admits_exactly_the_roles_its_openapi_entry_names(backend: Backend) {
    let app = demo_app(backend).await;
    let roles = [
        ("bureau_admin", app.signed_in_as("demo-admin").await),
        ("local_staff", app.signed_in_as("demo-hefei").await),
        ("org_user", app.signed_in_as("demo-org").await),
        ("instructor", app.signed_in_as("demo-instructor").await),
    ];
    let openapi = serde_json::to_value(sheguan::routes::openapi()).unwrap();
    let mut checked = 0;
    for (path, item) in openapi["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation["tags"][0] != "pairing" {
                continue;
            }
            let Some(scopes) = operation["security"][0]["session"].as_array() else {
                continue;
            };
            let allowed: Vec<&str> = scopes.iter().filter_map(|s| s.as_str()).collect();
            // Round 999999 does not exist, so an admitted role gets 404 or 422, never a change.
            let concrete = path
                .replace("{id}", "999999")
                .replace("{run}", "1")
                .replace("{organization_id}", "1")
                .replace("{village_code}", "340122100201")
                .replace("{code}", "340122100201");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for (role, session) in &roles {
                let status = status_of(session, method.clone(), &concrete).await;
                if allowed.contains(role) {
                    assert!(
                        status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                        "{method} {path} as {role}: {status}"
                    );
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} as {role}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 15, "checked {checked} calls");
}

/// The status of `method path` with `{}` for a body: any route, as the role walk calls them.
async fn status_of(client: &TestApp, method: Method, path: &str) -> StatusCode {
    let request = client.client.request(method, client.url(path)).json(&json!({}));
    request.send().await.expect("request").status()
}

async fn the_demo_data_holds_an_open_round_with_societies_and_village_needs(backend: Backend) {
    let app = demo_app(backend).await;
    let (admin, org) = (
        app.signed_in_as("demo-admin").await,
        app.signed_in_as("demo-org").await,
    );
    let rounds: Vec<Round> = admin.list_rounds().await.unwrap();
    let round = rounds
        .iter()
        .find(|r| r.name == "2026年百社进百村")
        .expect("the demo round");
    assert!(round.societies >= 30, "{} societies", round.societies);
    assert!(round.villages >= 250, "{} villages", round.villages);
    let mine: RoundSociety = org.my_membership(round.id).await.unwrap().expect("joined");
    assert_eq!(mine.organization_name, "安徽省乡村振兴促进会");
    let page: Page<RoundVillage> = admin
        .list_round_villages(round.id, "recorded=true&per_page=100")
        .await
        .unwrap();
    let priority = page.items.iter().filter(|v| v.priority_class.is_some()).count();
    assert!(
        (3..=25).contains(&priority),
        "about one in ten of 100 villages is a priority village: {priority}"
    );
}

/// A round over 长丰县 that 安徽省乡村振兴促进会 joined (capacity `capacity`), with `needs` villages of
/// 长丰县 recorded by 合肥 staff (education needs, so the society fits each).
async fn round_with_needs(
    admin: &TestApp,
    hefei: &TestApp,
    org: &TestApp,
    name: &str,
    capacity: i64,
    needs: usize,
) -> (Round, RoundSociety, Vec<RoundVillage>) {
    let round = open(admin, name, &["340121"]).await;
    let join = JoinRoundRequest {
        capabilities: [("education".to_owned(), 8)].into(),
        capacity,
        home_county: "340122".into(),
        funds_fen: 10_000_000,
    };
    let society = org.join_round(round.id, &join).await.expect("joins");
    let mut recorded = Vec::new();
    for village in villages(hefei, round.id, "340121").await.into_iter().take(needs) {
        recorded.push(
            record(hefei, round.id, &village.code, &[("education", 6)], false)
                .await
                .expect("recorded"),
        );
    }
    (round, society, recorded)
}

fn today_in_china() -> chrono::NaiveDate {
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    chrono::Utc::now().with_timezone(&china).date_naive()
}

async fn an_agreement_is_concluded_on_a_day_for_a_reason_audited_and_shown_to_society_staff_and_public(
    backend: Backend,
) {
    // Arrange: a confirmed round with two agreements.
    let app = demo_app(backend).await;
    let (admin, hefei, wuhu, org) = (
        app.signed_in_as("demo-admin").await,
        app.signed_in_as("demo-hefei").await,
        app.signed_in_as("demo-wuhu").await,
        app.signed_in_as("demo-org").await,
    );
    let (round, _, _) = round_with_needs(&admin, &hefei, &org, "结束测试轮次", 2, 2).await;
    let run: RunDetail = hefei.run_round(round.id).await.expect("runs");
    assert_eq!(run.pairs.len(), 2);
    let agreements: Vec<Agreement> = admin
        .confirm_run(round.id, run.run.id, &term("2026-03-01", "2028-02-28"))
        .await
        .expect("confirmed");
    let agreement = agreements[0].clone();
    let conclude = |id: i64| format!("/api/v1/agreements/{id}/conclude");
    let today = today_in_china();

    // Bad input: a day before the start, after today, no reason — refused, naming each field.
    let early = ConcludeAgreementRequest {
        concluded_on: "2026-02-28".parse().unwrap(),
        reason: "  ".into(),
    };
    let error = hefei.conclude_agreement(agreement.id, &early).await.unwrap_err();
    assert_eq!(field_of(&error), ["concluded_on", "reason"]);
    assert!(
        error
            .1
            .field_message("concluded_on")
            .unwrap()
            .contains("不能早于协议开始日期"),
        "{:?}",
        error.1
    );
    let late = ConcludeAgreementRequest {
        concluded_on: today + chrono::Days::new(1),
        reason: "项目完成".into(),
    };
    let error = hefei.conclude_agreement(agreement.id, &late).await.unwrap_err();
    assert_eq!(field_of(&error), ["concluded_on"]);
    // Who may not: 芜湖 staff (another city: 404), the society itself (403), an unknown agreement (404).
    let body = ConcludeAgreementRequest {
        concluded_on: today,
        reason: "帮扶项目提前完成".into(),
    };
    let error = wuhu.conclude_agreement(agreement.id, &body).await.unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND);
    assert_eq!(
        status_of(&org, Method::POST, &conclude(agreement.id)).await,
        StatusCode::FORBIDDEN
    );
    let error = hefei.conclude_agreement(999_999, &body).await.unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND);
    let listed: Vec<Agreement> = hefei
        .list_agreements(&format!("round={}", round.id))
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .all(|a| a.status == domain::pairing::round::AgreementStatus::Active && a.concluded_on.is_none()),
        "nothing was half-saved: {listed:?}"
    );

    // Act: 合肥 staff conclude it.
    let concluded: Agreement = hefei
        .conclude_agreement(agreement.id, &body)
        .await
        .expect("concluded");

    // Assert: concluded on the day, for the reason, by whom; once only; audited; everyone sees the status.
    assert_eq!(
        concluded.status,
        domain::pairing::round::AgreementStatus::Concluded
    );
    assert_eq!(concluded.concluded_on, Some(today));
    assert_eq!(concluded.conclusion_reason.as_deref(), Some("帮扶项目提前完成"));
    assert_eq!(concluded.concluded_by.as_deref(), Some("合肥市民政局（演示）"));
    let again = hefei.conclude_agreement(agreement.id, &body).await.unwrap_err();
    assert_eq!(again.0, StatusCode::CONFLICT);
    let audit: Page<AuditRecord> = admin
        .list_audit(&format!(
            "entity_type=pairing_agreement&entity_id={}",
            agreement.id
        ))
        .await
        .unwrap();
    assert_eq!(audit.items.len(), 1, "one audit row, for the one conclusion");
    let row = &audit.items[0];
    assert_eq!(row.action, "conclude");
    assert_eq!(row.reason.as_deref(), Some("帮扶项目提前完成"));
    assert_eq!(row.actor_name, "demo-hefei");
    assert_eq!(row.after.as_ref().unwrap()["concluded_on"], json!(today));
    let mine: Vec<Agreement> = org.my_pairings().await.unwrap();
    let statuses: Vec<_> = mine
        .iter()
        .filter(|a| a.round_id == round.id)
        .map(|a| (a.id, a.status, a.concluded_on))
        .collect();
    assert!(statuses.contains(&(
        agreement.id,
        domain::pairing::round::AgreementStatus::Concluded,
        Some(today)
    )));
    assert!(statuses.contains(&(
        agreements[1].id,
        domain::pairing::round::AgreementStatus::Active,
        None
    )));
    let public: Vec<Agreement> = app
        .village_societies(&agreement.village_code)
        .await
        .expect("public");
    let shown = public.iter().find(|a| a.id == agreement.id).expect("listed");
    assert_eq!(shown.status, domain::pairing::round::AgreementStatus::Concluded);
    assert_eq!(shown.concluded_on, Some(today));
    assert_eq!(
        (shown.concluded_by.as_deref(), shown.conclusion_reason.as_deref()),
        (None, None),
        "who concluded it and why is not announced"
    );
    let village: domain::api::Village = app
        .find_village(&agreement.village_code)
        .await
        .expect("a public village");
    assert_eq!(village.name, agreement.village_name);
    assert_eq!(village.county_name, "长丰县");
    let missing = app.find_village("340121999999").await.unwrap_err();
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    assert!(missing.1.error.message.contains("村（社区）"), "{:?}", missing.1);
}

async fn unknown_ids_infeasible_pins_and_coordinates_outside_anhui_are_refused_and_nothing_is_half_saved(
    backend: Backend,
) {
    let app = demo_app(backend).await;
    let (admin, hefei, org) = (
        app.signed_in_as("demo-admin").await,
        app.signed_in_as("demo-hefei").await,
        app.signed_in_as("demo-org").await,
    );
    let (round, society, recorded) = round_with_needs(&admin, &hefei, &org, "无解测试轮次", 1, 2).await;

    // Unknown ids answer 404 in Chinese.
    let unknown_round = hefei.find_round(999999).await.unwrap_err();
    assert_eq!(unknown_round.0, StatusCode::NOT_FOUND);
    assert!(
        unknown_round.1.error.message.contains("配对轮次"),
        "{:?}",
        unknown_round.1
    );
    let join = JoinRoundRequest {
        capabilities: [("education".to_owned(), 3)].into(),
        capacity: 1,
        home_county: "340122".into(),
        funds_fen: 0,
    };
    let error = org.join_round(999999, &join).await.unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND);
    let error = record(&hefei, round.id, "340121999999", &[("education", 3)], false)
        .await
        .unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND);
    assert!(error.1.error.message.contains("村（社区）"), "{:?}", error.1);
    let error = hefei.find_run(round.id, 999_999).await.unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND, "an unknown run");
    let error = hefei.compare_run(round.id, 999_999).await.unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND, "the comparison of an unknown run");
    let error = admin
        .confirm_run(round.id, 999999, &term("2026-03-01", "2028-02-28"))
        .await
        .unwrap_err();
    assert_eq!(error.0, StatusCode::NOT_FOUND);

    // Pins that would make the plan infeasible are refused when set, naming the society or village.
    let pin = |organization_id: i64, village: &RoundVillage| PairConstraint {
        organization_id,
        village_code: village.code.clone(),
        kind: Some(ConstraintKind::Pin),
    };
    let _: Vec<PairConstraint> = hefei
        .set_constraint(round.id, &pin(society.organization_id, &recorded[0]))
        .await
        .expect("the first pin fits the capacity of one");
    let error = hefei
        .set_constraint(round.id, &pin(society.organization_id, &recorded[1]))
        .await
        .unwrap_err();
    assert_eq!(field_of(&error), ["kind"]);
    let message = error.1.field_message("kind").unwrap();
    assert!(
        message.contains("安徽省乡村振兴促进会")
            && message.contains("承接村数为 1")
            && message.contains("无解"),
        "{message}"
    );
    let other = join_directly(&app, round.id, "安徽省人工智能产业协会", 6, 2).await;
    let error = hefei
        .set_constraint(round.id, &pin(other, &recorded[0]))
        .await
        .unwrap_err();
    assert_eq!(field_of(&error), ["village_code"]);
    assert!(
        error
            .1
            .field_message("village_code")
            .unwrap()
            .contains("已指定给安徽省乡村振兴促进会"),
        "{:?}",
        error.1
    );
    // Nor may the society shrink below its pins.
    let shrink = JoinRoundRequest {
        capacity: 0,
        ..join.clone()
    };
    let error = org.join_round(round.id, &shrink).await.unwrap_err();
    assert_eq!(field_of(&error), ["capacity"]);
    assert!(error.1.field_message("capacity").unwrap().contains("不能少于 1"));
    let constraints: Vec<PairConstraint> = hefei.list_constraints(round.id).await.unwrap();
    assert_eq!(
        constraints,
        vec![pin(society.organization_id, &recorded[0])],
        "only the first pin"
    );
    let mine: Option<RoundSociety> = org.my_membership(round.id).await.unwrap();
    assert_eq!(mine.map(|m| m.capacity), Some(1), "the capacity is unchanged");
    let run: RunDetail = hefei.run_round(round.id).await.expect("the round still solves");
    assert!(run.pairs.iter().any(|p| p.pinned
        && p.organization_id == society.organization_id
        && p.village_code == recorded[0].code));

    // A county whose centroid lies outside Anhui is refused as a round's county and as a home county.
    app.db()
        .await
        .execute("UPDATE divisions SET longitude = 121.47, latitude = 31.23 WHERE code = '340123'")
        .await
        .unwrap();
    let before: Vec<Round> = admin.list_rounds().await.unwrap();
    let body = OpenRoundRequest {
        name: "坐标测试轮次".into(),
        counties: vec!["340123".into()],
        rules: rules(),
    };
    let error = admin.open_round(&body).await.unwrap_err();
    assert_eq!(field_of(&error), ["counties[0]"]);
    assert!(
        error
            .1
            .field_message("counties[0]")
            .unwrap()
            .contains("不在安徽省范围内"),
        "{:?}",
        error.1
    );
    let after: Vec<Round> = admin.list_rounds().await.unwrap();
    assert_eq!(after.len(), before.len(), "no round was stored");
    let away = JoinRoundRequest {
        home_county: "340123".into(),
        ..join
    };
    let error = org.join_round(round.id, &away).await.unwrap_err();
    assert_eq!(field_of(&error), ["home_county"]);
    let mine: Option<RoundSociety> = org.my_membership(round.id).await.unwrap();
    assert_eq!(
        mine.map(|m| m.home_county),
        Some("340122".to_owned()),
        "nothing was half-saved"
    );
}
