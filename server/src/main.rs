//! The `sheguan` binary: parse the configuration, then serve (or run a one-off command).

fn main() -> anyhow::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    allocator_for_a_server();
    run()
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    sheguan::cli::main().await
}

/// glibc's `malloc`, set for a long-running server (`cargo xtask bench national`). Each thread that allocates
/// gets an arena of its own, up to eight a core, and what one arena frees the others do not reuse: one
/// arena a core held 249–308 MB a server where the default held 302–308. And glibc moves its threshold
/// for mapping a large block of its own up to the largest block freed so far (up to 32 MiB): once the
/// index's arrays have grown, a sign-in's 19 MiB password hash was carved from an arena and kept by it
/// after, so that a server held 280–415 MB depending on the order of its first requests. With the
/// threshold fixed at 1 MiB, every block that large is mapped and given back when freed.
///
/// Unless the operator chose (the variable is set), the process starts itself again with these settings;
/// glibc reads them only as a process starts. Should that fail, it runs as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn allocator_for_a_server() {
    use std::os::unix::process::CommandExt;

    let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    let settings = [
        ("MALLOC_ARENA_MAX", cores.to_string()),
        ("MALLOC_MMAP_THRESHOLD_", (1 << 20).to_string()),
    ];
    let unset: Vec<_> = settings
        .into_iter()
        .filter(|(variable, _)| std::env::var_os(variable).is_none())
        .collect();
    if unset.is_empty() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    // `exec` returns only when it could not start the program.
    let error = std::process::Command::new(program)
        .args(std::env::args_os().skip(1))
        .envs(unset.iter().map(|(variable, value)| (variable, value)))
        .exec();
    eprintln!("sheguan: could not restart with glibc's malloc set for a server ({error}); running as is");
}
