//! The command line of the `sheguan` binary: serving flags and one-off commands.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "sheguan",
    about = "社管 Sheguan — 社会组织登记管理与百社进百村服务平台",
    version
)]
pub struct Cli {
    #[command(flatten)]
    pub serve: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The `sheguan` binary: the command line parsed, then [`Cli::execute`]d.
pub async fn main() -> anyhow::Result<()> {
    Cli::parse().execute().await
}

impl Cli {
    pub fn log_format(&self) -> LogFormat {
        self.serve.log_format
    }

    /// What the `sheguan` binary does with its command line: serve until stopped, or run one command.
    pub async fn execute(self) -> anyhow::Result<()> {
        // `pair` prints its answer on stdout, which the log would otherwise share: it runs without one.
        if let Some(command @ Command::Pair(_)) = self.command {
            return run(command).await;
        }
        crate::telemetry::init(self.log_format());
        match self.command {
            None => {
                crate::Application::build(self.serve)
                    .await?
                    .run_until_stopped()
                    .await?
            }
            Some(command) => run(command).await?,
        }
        Ok(())
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    #[default]
    Pretty,
    /// One JSON object a line, for a log collector.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and load the reference data, then exit.
    Migrate(MigrateArgs),
    /// 百社进百村 pairing tools that need no database.
    #[command(subcommand)]
    Pair(PairCommand),
    /// Keys of personal data.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a consistent copy of the SQLite database to a new file while the server runs; start a server
    /// on that file to restore it. (PostgreSQL: `pg_dump`, see the README.)
    Backup(BackupArgs),
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write (it must not exist).
    pub file: std::path::PathBuf,
    /// The database to copy.
    #[arg(long, env = "SHEGUAN_DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain and name the first row that was changed, removed or inserted behind
    /// the application's back; exit status 1 when one was.
    Verify(DatabaseArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Re-encrypt every piece of personal data sealed under a retired key (scholarship recipients,
    /// petitioners, TOTP secrets, organizations' and accounts' phones, matters' contact phones) with the
    /// current data key (`SHEGUAN_DATA_KEY`), opening them with `SHEGUAN_DATA_KEYS_RETIRED`, and seal any
    /// phone still in clear; audited. Afterwards the retired keys can be removed. Safe to run again, and
    /// while the server runs.
    Reseal(KeyArgs),
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The database whose rows to re-seal.
    #[arg(long, env = "SHEGUAN_DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
    #[command(flatten)]
    pub keys: crate::config::Keys,
}

#[derive(Debug, Subcommand)]
pub enum PairCommand {
    /// Solve a pairing instance (JSON: societies, villages, rules) and print the optimal plan as JSON on
    /// stdout, so that it can be checked against any other solver. Problems go to stderr, exit status 1.
    Solve {
        /// The instance file; `-` reads standard input.
        instance: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The database whose audit log to verify.
    #[arg(long, env = "SHEGUAN_DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The database to migrate.
    #[arg(long, env = "SHEGUAN_DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// Runs a one-off command.
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Migrate(args) => {
            let store = crate::store::Store::connect(&args.database_url).await?;
            store.migrate().await?;
            crate::seed::load_reference_data(&store).await?;
            tracing::info!(backend = store.backend_name(), "migrated");
            Ok(())
        }
        Command::Keys(KeysCommand::Reseal(args)) => {
            let keys = crate::crypto::DataKeys::from_config(
                args.keys.data_key.as_deref(),
                args.keys.data_keys_retired.as_deref(),
                args.keys.match_key.as_deref(),
                false,
            )?;
            let store = crate::store::Store::connect(&args.database_url).await?;
            store.migrate().await?;
            let count = reseal(&store, &keys).await?;
            tracing::info!(
                resealed = count,
                key_id = keys.current_id(),
                "recipients re-sealed"
            );
            println!(
                "已将 {count} 名受助学生的个人信息重新加密为密钥 {}",
                keys.current_id()
            );
            let petitioners = reseal_petitioners(&store, &keys).await?;
            tracing::info!(
                resealed = petitioners,
                key_id = keys.current_id(),
                "petitioners re-sealed"
            );
            println!(
                "已将 {petitioners} 件信访件的信访人信息重新加密为密钥 {}",
                keys.current_id()
            );
            let secrets = reseal_totp(&store, &keys).await?;
            tracing::info!(
                resealed = secrets,
                key_id = keys.current_id(),
                "TOTP secrets re-sealed"
            );
            println!(
                "已将 {secrets} 个账号的两步验证密钥重新加密为密钥 {}",
                keys.current_id()
            );
            let phones = store.seal_phones(&keys, &reseal_actor(), true).await?;
            tracing::info!(resealed = phones, key_id = keys.current_id(), "phones re-sealed");
            println!(
                "已将 {phones} 个社会组织的联系电话加密（或重新加密）为密钥 {}",
                keys.current_id()
            );
            let accounts = crate::store::phones::ACCOUNT_PHONES;
            let phones = store
                .seal_phones_in(&accounts, &keys, &reseal_actor(), true)
                .await?;
            tracing::info!(
                resealed = phones,
                key_id = keys.current_id(),
                "accounts' phones re-sealed"
            );
            println!(
                "已将 {phones} 个账户的手机号加密（或重新加密）为密钥 {}",
                keys.current_id()
            );
            let phones = store.seal_matter_phones(&keys, &reseal_actor(), true).await?;
            tracing::info!(
                resealed = phones,
                key_id = keys.current_id(),
                "matters' phones re-sealed"
            );
            println!(
                "已将 {phones} 件登记事项申请中的联系电话加密（或重新加密）为密钥 {}",
                keys.current_id()
            );
            Ok(())
        }
        Command::Backup(args) => {
            let store = crate::store::Store::connect(&args.database_url).await?;
            let started = std::time::Instant::now();
            store.backup_to(&args.file).await?;
            let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or_default();
            println!(
                "已备份到 {}（{bytes} 字节，用时 {:.1} 秒）；恢复：以 --database-url sqlite://{} 启动服务器",
                args.file.display(),
                started.elapsed().as_secs_f64(),
                args.file.display()
            );
            Ok(())
        }
        Command::Audit(AuditCommand::Verify(args)) => {
            let store = crate::store::Store::connect(&args.database_url).await?;
            let report = store.verify_audit_chain().await?;
            if report.before_chain > 0 {
                println!("哈希链建立之前的记录：{} 行（不在链中）", report.before_chain);
            }
            match report.broken {
                None => {
                    println!("审计日志完整：{} 行记录均与哈希链相符", report.verified);
                    Ok(())
                }
                Some((id, why)) => {
                    println!("已核验 {} 行；第一处不符在记录 {id}：{why}", report.verified);
                    anyhow::bail!("审计日志的哈希链在记录 {id} 处断开")
                }
            }
        }
        Command::Pair(PairCommand::Solve { instance }) => {
            let text = if instance.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&instance)
                    .map_err(|e| anyhow::anyhow!("无法读取 {}：{e}", instance.display()))?
            };
            println!("{}", solve_json(&text)?);
            Ok(())
        }
    }
}

/// Who `sheguan keys reseal` writes in the audit log.
/// The audit row of one batch of `keys reseal`: the rows `ids` (first and last) of `entity_type`, the keys
/// they were sealed under (`from`) and the key they are sealed under now.
fn reseal_audit<'a>(
    actor: &'a crate::store::Actor,
    entity_type: &'a str,
    ids: (i64, i64),
    from: impl Iterator<Item = &'a str>,
    keys: &crate::crypto::DataKeys,
    rows: usize,
) -> crate::store::AuditEntry<'a> {
    let from: std::collections::BTreeSet<&str> = from.collect();
    crate::store::AuditEntry {
        actor,
        entity_type,
        entity_id: format!("{}-{}", ids.0, ids.1),
        action: "reseal",
        before: Some(serde_json::json!({ "key_ids": from })),
        after: Some(serde_json::json!({ "key_id": keys.current_id(), "rows": rows })),
        reason: None,
    }
}

fn reseal_actor() -> crate::store::Actor {
    crate::store::Actor {
        user_id: None,
        name: "sheguan keys reseal".to_owned(),
        role: None,
        client_addr: "cli".to_owned(),
    }
}

/// Re-seals every recipient sealed under another key than the current one or not yet bound to its row, 500
/// rows a transaction, each with an audit row. Fails — changing nothing more — on a row whose key is not configured.
pub async fn reseal(store: &crate::store::Store, keys: &crate::crypto::DataKeys) -> anyhow::Result<u64> {
    use crate::crypto::Context;
    use crate::store::contributions::ResealedRecipient;

    let actor = reseal_actor();
    let mut after = 0;
    let mut total = 0;
    loop {
        let rows = store
            .recipients_sealed_under_other_keys(keys.current_id(), after, 500)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(total);
        };
        after = last.id;
        let mut resealed = Vec::with_capacity(rows.len());
        for row in &rows {
            let open = |cipher: &str, column| {
                keys.open(&row.key_id, cipher, row.context(column)).map_err(|e| {
                    anyhow::anyhow!(
                        "受助学生记录 {} 无法用密钥 {} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                        row.id,
                        row.key_id
                    )
                })
            };
            let name = open(&row.name_cipher, "name_cipher")?;
            let id_number = open(&row.id_number_cipher, "id_number_cipher")?;
            // Bound to the row from now on: its seal reference, made now if it has none yet.
            let seal_ref = row.seal_ref.clone().unwrap_or_else(crate::crypto::seal_ref);
            let at = |column| Context::new("contribution_recipients", column, &seal_ref);
            let name = keys.seal(&name, at("name_cipher"));
            let id_number = keys.seal(&id_number, at("id_number_cipher"));
            resealed.push(ResealedRecipient {
                id: row.id,
                old_key_id: row.key_id.clone(),
                old_seal_ref: row.seal_ref.clone(),
                seal_ref: seal_ref.clone(),
                key_id: name.key_id,
                name_cipher: name.ciphertext,
                id_number_cipher: id_number.ciphertext,
            });
        }
        let from = rows.iter().map(|r| r.key_id.as_str());
        let audit = reseal_audit(
            &actor,
            "contribution_recipients",
            (rows[0].id, after),
            from,
            keys,
            rows.len(),
        );
        total += store.reseal_recipients(&resealed, &audit).await?;
    }
}

/// Re-seals every petitioner sealed under another key than the current one or not yet bound to its row, as
/// `reseal` does for
/// recipients: 500 rows a transaction, each batch audited; fails on a row whose key is not configured.
pub async fn reseal_petitioners(
    store: &crate::store::Store,
    keys: &crate::crypto::DataKeys,
) -> anyhow::Result<u64> {
    use crate::crypto::Context;
    use crate::store::petitions::ResealedPetitioner;

    let actor = reseal_actor();
    let mut after = 0;
    let mut total = 0;
    loop {
        let rows = store
            .petitions_sealed_under_other_keys(keys.current_id(), after, 500)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(total);
        };
        after = last.id;
        let mut resealed = Vec::with_capacity(rows.len());
        for row in &rows {
            let open = |cipher: &str, column| {
                keys.open(&row.key_id, cipher, row.context(column)).map_err(|e| {
                    anyhow::anyhow!(
                        "信访件 {} 的信访人信息无法用密钥 {} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                        row.id,
                        row.key_id
                    )
                })
            };
            let name = open(&row.name_cipher, "name_cipher")?;
            let phone = open(&row.phone_cipher, "phone_cipher")?;
            let id_number = open(&row.id_number_cipher, "id_number_cipher")?;
            let seal_ref = row.seal_ref.clone().unwrap_or_else(crate::crypto::seal_ref);
            let at = |column| Context::new("petitions", column, &seal_ref);
            let name = keys.seal(&name, at("name_cipher"));
            let phone = keys.seal(&phone, at("phone_cipher"));
            let id_number = keys.seal(&id_number, at("id_number_cipher"));
            resealed.push(ResealedPetitioner {
                id: row.id,
                old_key_id: row.key_id.clone(),
                old_seal_ref: row.seal_ref.clone(),
                seal_ref: seal_ref.clone(),
                key_id: name.key_id,
                name_cipher: name.ciphertext,
                phone_cipher: phone.ciphertext,
                id_number_cipher: id_number.ciphertext,
            });
        }
        let from = rows.iter().map(|r| r.key_id.as_str());
        let audit = reseal_audit(&actor, "petitions", (rows[0].id, after), from, keys, rows.len());
        total += store.reseal_petitioners(&resealed, &audit).await?;
    }
}

/// Re-seals every account's TOTP secret sealed under another key than the current one, as `reseal` does
/// for recipients: 500 rows a transaction, each batch audited (no secret in the audit row); fails on a row
/// whose key is not configured.
pub async fn reseal_totp(store: &crate::store::Store, keys: &crate::crypto::DataKeys) -> anyhow::Result<u64> {
    use crate::store::accounts::{SealedTotp, totp_secret_context};

    let actor = reseal_actor();
    let (mut after, mut total) = (0, 0);
    loop {
        let rows = store
            .totp_sealed_under_other_keys(keys.current_id(), after, 500)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(total);
        };
        after = last.user_id;
        let mut resealed = Vec::with_capacity(rows.len());
        for row in &rows {
            let user_id = row.user_id.to_string();
            let context = totp_secret_context(&user_id);
            let secret = keys.open(&row.key_id, &row.secret_sealed, context).map_err(|e| {
                anyhow::anyhow!(
                    "账号 {} 的两步验证密钥无法用密钥 {} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                    row.user_id,
                    row.key_id
                )
            })?;
            let sealed = keys.seal(&secret, totp_secret_context(&user_id));
            let new = SealedTotp {
                user_id: row.user_id,
                key_id: sealed.key_id,
                secret_sealed: sealed.ciphertext,
            };
            resealed.push((row.clone(), new));
        }
        let from = rows.iter().map(|r| r.key_id.as_str());
        let audit = reseal_audit(
            &actor,
            "user_totp",
            (rows[0].user_id, after),
            from,
            keys,
            rows.len(),
        );
        total += store.reseal_totp(&resealed, &audit).await?;
    }
}

/// Reads an instance from JSON text and answers the optimal plan as pretty JSON, or every problem found,
/// one a line with the field it concerns.
pub fn solve_json(text: &str) -> anyhow::Result<String> {
    let instance: domain::pairing::Instance =
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("实例不是有效的 JSON：{e}"))?;
    match domain::pairing::solve(&instance) {
        Ok(plan) => Ok(serde_json::to_string_pretty(&plan)?),
        Err(domain::pairing::PairingError::Invalid(problems)) => {
            let lines: Vec<String> = problems.iter().map(|p| format!("{}: {p}", p.field())).collect();
            anyhow::bail!("配对输入有 {} 处问题：\n{}", problems.len(), lines.join("\n"))
        }
        Err(error) => Err(error.into()),
    }
}
