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
    }
}
