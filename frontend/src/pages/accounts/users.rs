//! Account administration for the bureau: find accounts, create them, change role and scope, disable
//! and re-enable, reset passwords. One-time passwords are shown once, here.

use domain::api::{
    CreateUserRequest, IssuedPassword, ReasonRequest, ScopeInput, UpdateUserRequest, UserSummary,
};
use domain::policy::{BUREAU_ONLY, Role};
use leptos::prelude::*;

use domain::api::UserQuery;

use crate::api;
use crate::components::field::field_error;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::use_i18n;
use crate::pages::accounts::account::scope_text;
use crate::routes::{non_empty, use_url_query};

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <RequireAuth roles=BUREAU_ONLY>
            <UserAdmin />
        </RequireAuth>
    }
}

#[component]
fn UserAdmin() -> impl IntoView {
    let i18n = use_i18n();
    // The filters live in the URL, so back, forward and reload keep them.
    let (query, apply) = use_url_query::<UserQuery>();
    let (search, set_search) = signal(String::new());
    Effect::new(move |_| set_search.set(query.get().q.unwrap_or_default()));
    let users = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_users(&query).await }
    });
    let issued = RwSignal::new(None::<IssuedPassword>);
    let editing = RwSignal::new(None::<UserSummary>);
    let reload = Callback::new(move |_: ()| users.refetch());

    view! {
        <section class="page">
            <h1>{move || i18n.t("users.title")}</h1>
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                apply.run(UserQuery { q: non_empty(search.get_untracked()), page: None, ..query.get_untracked() });
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("users.search")}</span>
                    <input type="search" name="q" prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("account.role")}</span>
                    <select name="role" on:change=move |ev| {
                        apply.run(UserQuery { role: non_empty(event_target_value(&ev)), page: None, ..query.get_untracked() });
                    }>
                        <option value="" selected=move || query.get().role.is_none()>{move || i18n.t("common.all")}</option>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.key() selected=move || query.get().role.as_deref() == Some(r.key())>{move || i18n.label(r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            {move || issued.get().map(|issued| view! {
                <div class="notice notice--ok" role="status" data-testid="issued-password">
                    <p>{move || i18n.t_with("users.issued", &[("username", issued.user.username.clone())])}</p>
                    <p class="secret"><code>{issued.temporary_password.clone()}</code></p>
                    <p><small>{move || i18n.t("users.issued_note")}</small></p>
                </div>
            })}
            <Async resource=users let:page>
                <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                <ul class="record-list" data-testid="users-list">
                    {page.items.into_iter().map(|user| view! { <UserRow user issued editing reload /> }).collect_view()}
                </ul>
            </Async>
        </section>
        {move || editing.get().map(|user| view! { <UserForm existing=Some(user) issued editing reload /> })}
        <UserForm existing=None issued editing reload />
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    issued: RwSignal<Option<IssuedPassword>>,
    editing: RwSignal<Option<UserSummary>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let disabled = user.disabled;
    let toggle = Action::new_local(move |_: &()| async move {
        api::set_user_disabled(id, !disabled, &ReasonRequest::default()).await
    });
    let reset =
        Action::new_local(
            move |_: &()| async move { api::reset_password(id, &ReasonRequest::default()).await },
        );
    Effect::new(move |_| {
        if let Some(Ok(_)) = toggle.value().get() {
            reload.run(());
        }
    });
    let reset_factor = Action::new_local(move |_: &()| async move {
        api::reset_second_factor(id, &ReasonRequest::default()).await
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reset_factor.value().get() {
            reload.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(result)) = reset.value().get() {
            issued.set(Some(result));
            reload.run(());
        }
    });
    let error = move || {
        toggle
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reset.value().get().and_then(Result::err))
            .or_else(|| reset_factor.value().get().and_then(Result::err))
            .map(|e| e.message(&i18n))
    };
    let role = user.role;
    let scope = user.scope.clone();
    let edit_copy = user.clone();
    view! {
        <li class="record" class:record--muted=disabled data-testid="user-row">
            <div class="record__head">
                <strong>{user.display_name.clone()}</strong>
                <code>{user.username.clone()}</code>
                {disabled.then(|| view! { <span class="badge badge--muted">{move || i18n.t("users.disabled")}</span> })}
                {user.must_change_password.then(|| view! { <span class="badge badge--warn">{move || i18n.t("users.must_change")}</span> })}
                {user.second_factor.then(|| view! { <span class="badge">{move || i18n.t("users.second_factor")}</span> })}
            </div>
            <div class="record__meta">
                <span>{move || i18n.label(role)}</span>
                <span>{move || scope_text(&i18n, &scope)}</span>
                {user.phone.clone().map(|p| view! { <span>{p}</span> })}
                <span>{move || i18n.t("users.last_login")}" "{user.last_login_at.map(format_time).unwrap_or_else(|| "—".to_owned())}</span>
            </div>
            <div class="record__actions">
                <button type="button" class="button" on:click=move |_| editing.set(Some(edit_copy.clone()))>{move || i18n.t("users.edit")}</button>
                <button type="button" class="button" on:click=move |_| { toggle.dispatch(()); }>
                    {move || if disabled { i18n.t("users.enable") } else { i18n.t("users.disable") }}
                </button>
                <button type="button" class="button" on:click=move |_| { reset.dispatch(()); }>{move || i18n.t("users.reset")}</button>
                {user.second_factor.then(|| view! {
                    <button type="button" class="button" on:click=move |_| { reset_factor.dispatch(()); }>{move || i18n.t("users.reset_second_factor")}</button>
                })}
            </div>
            {move || error().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        </li>
    }
}

/// Creating an account (no `existing`) or changing one's name, role and scope.
#[component]
fn UserForm(
    existing: Option<UserSummary>,
    issued: RwSignal<Option<IssuedPassword>>,
    editing: RwSignal<Option<UserSummary>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = existing.as_ref().map(|u| u.id);
    let username = RwSignal::new(existing.as_ref().map(|u| u.username.clone()).unwrap_or_default());
    let display_name = RwSignal::new(
        existing
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(String::new());
    let role = RwSignal::new(existing.as_ref().map(|u| u.role).unwrap_or(Role::LocalStaff));
    let division = RwSignal::new(match existing.as_ref().map(|u| &u.scope) {
        Some(domain::policy::Scope::Division { code, .. }) => code.to_string(),
        _ => String::new(),
    });
    let organizations = RwSignal::new(match existing.as_ref().map(|u| &u.scope) {
        Some(domain::policy::Scope::Organization { id, .. }) => id.to_string(),
        Some(domain::policy::Scope::Organizations { ids }) => {
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        }
        _ => String::new(),
    });
    let divisions = LocalResource::new(api::list_divisions);

    let scope_input = move || {
        let ids: Vec<i64> = organizations
            .get_untracked()
            .split([',', '，', ' '])
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        match role.get_untracked() {
            Role::LocalStaff => ScopeInput {
                division_code: Some(division.get_untracked()),
                ..Default::default()
            },
            Role::OrgUser => ScopeInput {
                organization_id: ids.first().copied(),
                ..Default::default()
            },
            Role::Instructor => ScopeInput {
                organization_ids: ids,
                ..Default::default()
            },
            Role::BureauAdmin => ScopeInput::default(),
        }
    };
    let save = Action::new_local(move |_: &()| {
        let scope = scope_input();
        let (name, role, username, phone) = (
            display_name.get_untracked(),
            role.get_untracked(),
            username.get_untracked(),
            phone.get_untracked(),
        );
        async move {
            match id {
                Some(id) => api::update_user(
                    id,
                    &UpdateUserRequest {
                        display_name: name,
                        role,
                        scope,
                    },
                )
                .await
                .map(|_| None),
                None => api::create_user(&CreateUserRequest {
                    username,
                    display_name: name,
                    phone: Some(phone).filter(|p| !p.trim().is_empty()),
                    role,
                    scope,
                })
                .await
                .map(Some),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(result)) = save.value().get() {
            if let Some(result) = result {
                issued.set(Some(result));
                username.set(String::new());
                display_name.set(String::new());
                phone.set(String::new());
            }
            editing.set(None);
            reload.run(());
        }
    });
    let message_for = move |field: &'static str| {
        save.value().get().and_then(Result::err).and_then(|e| match e {
            api::Error::Api { error, .. } => error.field_message(field).map(str::to_owned),
            _ => None,
        })
    };
    let general_error = move || save.value().get().and_then(Result::err).map(|e| e.message(&i18n));
    let is_edit = id.is_some();
    view! {
        <section class="page" data-testid=if is_edit { "user-edit" } else { "user-create" }>
            <h2>{move || if is_edit { i18n.t("users.edit_title") } else { i18n.t("users.create_title") }}</h2>
            <form class="stack" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <label class="field">
                    <span>{move || i18n.t("auth.username")}</span>
                    <input name="new_username" autocapitalize="none" required disabled=is_edit
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                    {field_error(move || message_for("username"))}
                </label>
                <label class="field">
                    <span>{move || i18n.t("account.name")}</span>
                    <input name="display_name" required prop:value=display_name on:input=move |ev| display_name.set(event_target_value(&ev)) />
                    {field_error(move || message_for("display_name"))}
                </label>
                {(!is_edit).then(|| view! {
                    <label class="field">
                        <span>{move || i18n.t("users.phone")}</span>
                        <input name="phone" type="tel" inputmode="numeric" prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                        {field_error(move || message_for("phone"))}
                    </label>
                })}
                <label class="field">
                    <span>{move || i18n.t("account.role")}</span>
                    <select name="new_role" on:change=move |ev| { if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) } }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.key() selected=move || role.get() == r>{move || i18n.label(r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || role.get() == Role::LocalStaff>
                    <label class="field">
                        <span>{move || i18n.t("users.division")}</span>
                        <select name="division_code" on:change=move |ev| division.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t("users.choose")}</option>
                            {move || divisions.get().and_then(Result::ok).map(|tree| tree.cities.into_iter().flat_map(|city| {
                                let city_code = city.code.clone();
                                std::iter::once(view! {
                                    <option value=city.code.clone() selected=move || division.get() == city_code>{city.name.clone()}</option>
                                }.into_any()).chain(city.counties.into_iter().map(move |county| {
                                    let code = county.code.clone();
                                    view! { <option value=county.code.clone() selected=move || division.get() == code>{format!("　{}", county.name)}</option> }.into_any()
                                })).collect::<Vec<_>>()
                            }).collect_view())}
                        </select>
                        {field_error(move || message_for("division_code"))}
                    </label>
                </Show>
                <Show when=move || matches!(role.get(), Role::OrgUser | Role::Instructor)>
                    <label class="field">
                        <span>{move || if role.get() == Role::OrgUser { i18n.t("users.organization") } else { i18n.t("users.organizations") }}</span>
                        <input name="organizations" inputmode="numeric" prop:value=organizations on:input=move |ev| organizations.set(event_target_value(&ev)) />
                        {field_error(move || message_for("organization_id").or_else(|| message_for("organization_ids")))}
                    </label>
                </Show>
                {move || general_error().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
                <div class="form-actions">
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                        {move || if is_edit { i18n.t("users.save") } else { i18n.t("users.create") }}
                    </button>
                    {is_edit.then(|| view! { <button type="button" class="button" on:click=move |_| editing.set(None)>{move || i18n.t("common.cancel")}</button> })}
                </div>
            </form>
        </section>
    }
}
