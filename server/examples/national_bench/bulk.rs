//! Bulk loading on PostgreSQL: rows streamed through `COPY … FROM STDIN` (text format), and a table's
//! secondary indexes, unique constraints and foreign keys taken off before a load and put back after it —
//! each rebuilt once from the loaded rows, far faster than maintained row by row.

use std::time::{Duration, Instant};

use sqlx::PgConnection;
use sqlx::postgres::PgCopyIn;

/// How much is buffered before it is sent.
const CHUNK: usize = 1 << 20;

/// One row of COPY text being written: fields separated by tabs, `\N` for NULL.
pub struct Row<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    /// Starts a row at the end of `buf`; [`Row::end`] closes it.
    pub fn start(buf: &'a mut Vec<u8>) -> Row<'a> {
        Row { buf, first: true }
    }

    pub fn end(self) {
        self.buf.push(b'\n');
    }

    fn separate(&mut self) {
        if !self.first {
            self.buf.push(b'\t');
        }
        self.first = false;
    }

    /// A text field, escaped as COPY's text format requires.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.separate();
        for b in value.bytes() {
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                _ => self.buf.push(b),
            }
        }
        self
    }

    pub fn opt(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    pub fn null(&mut self) -> &mut Self {
        self.separate();
        self.buf.extend_from_slice(b"\\N");
        self
    }

    /// A field whose text needs no escaping: a number, a date, a timestamp, words without tabs, newlines or
    /// backslashes.
    pub fn plain(&mut self, value: impl std::fmt::Display) -> &mut Self {
        use std::io::Write;
        self.separate();
        let _ = write!(self.buf, "{value}");
        self
    }

    pub fn opt_plain(&mut self, value: Option<impl std::fmt::Display>) -> &mut Self {
        match value {
            Some(v) => self.plain(v),
            None => self.null(),
        }
    }
}

/// A `COPY <target> FROM STDIN` in progress.
pub struct Copy<'c> {
    copy: PgCopyIn<&'c mut PgConnection>,
    buf: Vec<u8>,
}

impl<'c> Copy<'c> {
    /// `target` is the table and its column list: `villages (code, name, …)`.
    pub async fn start(conn: &'c mut PgConnection, target: &str) -> anyhow::Result<Copy<'c>> {
        Copy::start_with(conn, target, "").await
    }

    /// With COPY options, e.g. `(FREEZE)`.
    pub async fn start_with(
        conn: &'c mut PgConnection,
        target: &str,
        options: &str,
    ) -> anyhow::Result<Copy<'c>> {
        let copy = conn
            .copy_in_raw(&format!("COPY {target} FROM STDIN {options}"))
            .await?;
        Ok(Copy {
            copy,
            buf: Vec::with_capacity(CHUNK + 4096),
        })
    }

    /// Writes one row.
    pub async fn row(&mut self, write: impl FnOnce(&mut Row)) -> anyhow::Result<()> {
        let mut row = Row::start(&mut self.buf);
        write(&mut row);
        row.end();
        if self.buf.len() >= CHUNK {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
            self.copy.send(full).await?;
        }
        Ok(())
    }

    /// Sends rows already written elsewhere (whole lines).
    pub async fn send(&mut self, rows: Vec<u8>) -> anyhow::Result<()> {
        if !self.buf.is_empty() {
            let pending = std::mem::take(&mut self.buf);
            self.copy.send(pending).await?;
        }
        self.copy.send(rows).await?;
        Ok(())
    }

    /// Ends the COPY; how many rows it stored.
    pub async fn finish(mut self) -> anyhow::Result<u64> {
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            self.copy.send(rest).await?;
        }
        Ok(self.copy.finish().await?)
    }
}

/// What was taken off a table, to put back after its load: indexes and unique constraints first, foreign
/// keys last (each checked once over the loaded rows).
pub struct Deferred {
    table: String,
    indexes: Vec<(String, String)>,
    foreign_keys: Vec<(String, String)>,
}

/// Takes every secondary index, unique constraint and foreign key off `table` (its primary key stays), as
/// the migrations declared them.
pub async fn defer(conn: &mut PgConnection, table: &str) -> anyhow::Result<Deferred> {
    let constraints: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE conrelid = $1::regclass AND contype IN ('u', 'f') ORDER BY conname",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    let plain: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
         WHERE i.indrelid = $1::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
         ORDER BY 1",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    let mut deferred = Deferred {
        table: table.to_owned(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    };
    for (name, kind, definition) in constraints {
        sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
            .execute(&mut *conn)
            .await?;
        let add = format!("ALTER TABLE {table} ADD CONSTRAINT {name} {definition}");
        if kind == "f" {
            deferred.foreign_keys.push((name, add));
        } else {
            deferred.indexes.push((name, add));
        }
    }
    for (name, definition) in plain {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut *conn)
            .await?;
        deferred.indexes.push((name, definition));
    }
    Ok(deferred)
}

impl Deferred {
    /// Puts everything back; how long each took.
    pub async fn restore(self, conn: &mut PgConnection) -> anyhow::Result<Vec<(String, Duration)>> {
        // Sorting for an index build in memory, not in many small runs on disk; the same for the joins that
        // check foreign keys.
        for setting in ["SET maintenance_work_mem = '1GB'", "SET work_mem = '256MB'"] {
            sqlx::query(setting).execute(&mut *conn).await?;
        }
        let mut times = Vec::new();
        let mut run = async |name: String, sql: String| -> anyhow::Result<()> {
            let started = Instant::now();
            sqlx::query(&sql).execute(&mut *conn).await?;
            let took = started.elapsed();
            println!("    {}: {name} in {took:.1?}", self.table);
            times.push((name, took));
            Ok(())
        };
        for (name, sql) in self.indexes {
            run(name, sql).await?;
        }
        // The planner checks each foreign key with one join: with statistics, a rarely set key is looked up
        // through the primary key instead of hashing the whole table.
        run("statistics".to_owned(), format!("ANALYZE {}", self.table)).await?;
        for (name, sql) in self.foreign_keys {
            run(name, sql).await?;
        }
        for setting in ["RESET maintenance_work_mem", "RESET work_mem"] {
            sqlx::query(setting).execute(&mut *conn).await?;
        }
        Ok(times)
    }
}
