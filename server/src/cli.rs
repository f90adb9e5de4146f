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

impl Cli {
    pub fn log_format(&self) -> LogFormat {
        self.serve.log_format
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
