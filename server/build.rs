//! Rebuilds the server when a migration changes: `sqlx::migrate!` embeds the migration files at compile
//! time, and without this a changed or added `.sql` file would not reach the binary until some Rust
//! source changed too (a test database then reports a migration "missing" or "modified").

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
