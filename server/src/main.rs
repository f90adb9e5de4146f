//! The `sheguan` binary: parse the configuration, then serve (or run a one-off command).

fn main() -> anyhow::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    few_allocator_arenas();
    run()
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    sheguan::cli::main().await
}

/// glibc's `malloc` gives each thread that allocates an arena of its own, up to eight a core, and what one
/// arena frees the others do not reuse: at national volume (`cargo xtask bench national`) a server held
/// 302–308 MB with the default, 249–308 MB (a mean of 280 against 304) with one arena a core, no slower.
/// Unless the operator chose (`MALLOC_ARENA_MAX` is set), the process starts itself again with one arena a
/// core; glibc reads the variable only as a process starts. Should that fail, it runs as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn few_allocator_arenas() {
    use std::os::unix::process::CommandExt;

    const VARIABLE: &str = "MALLOC_ARENA_MAX";
    if std::env::var_os(VARIABLE).is_some() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    // `exec` returns only when it could not start the program.
    let error = std::process::Command::new(program)
        .args(std::env::args_os().skip(1))
        .env(VARIABLE, cores.to_string())
        .exec();
    eprintln!("sheguan: could not restart with {VARIABLE}={cores} ({error}); running as is");
}
