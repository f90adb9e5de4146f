//! The two backends' schemas compared: each migration is written twice, once per backend, and this reads
//! what each one built from its catalog (SQLite: `sqlite_master` and the `pragma_*` tables; PostgreSQL:
//! `information_schema.columns` and `pg_index`) and names every difference.

use std::collections::{BTreeMap, BTreeSet};

use sheguan::store::Store;
use tests::{Backend, Db, TestDatabase};

/// The migrations of the two backends are written twice (their DDL differs), so nothing but this test
/// keeps them in step: a fresh SQLite and a fresh PostgreSQL database, each migrated, must have the same
/// tables, the same columns (name, nullability and kind of value) and the same indexes (name, columns,
/// order, uniqueness, partial or not). The names a backend gives the indexes behind `PRIMARY KEY` and
/// `UNIQUE` differ by design, so those are compared by their columns. Column types differ by design too
/// (`TIMESTAMPTZ` is `TEXT` in SQLite), so they are compared by the kind of value they hold. SQLite has no
/// `INCLUDE`: an index that carries columns for index-only reads lists them after its key there, and a
/// PostgreSQL index's `INCLUDE` columns are compared as its last columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_migrate_to_the_same_tables_columns_and_indexes() {
    let Some(postgres) = Backend::postgres() else {
        return; // `cargo xtask test` says loudly when PostgreSQL did not run.
    };
    let mut databases = Vec::new();
    for backend in [Backend::Sqlite, postgres] {
        let database = TestDatabase::create(&backend).await;
        let store = Store::connect(&database.url).await.unwrap();
        store.migrate().await.unwrap();
        store.close().await;
        let db = Db::connect(&database.url).await;
        databases.push((db, database));
    }
    let (sqlite, postgres) = (&databases[0].0, &databases[1].0);

    let (sqlite_schema, postgres_schema) = (read(sqlite).await, read(postgres).await);
    let drift = differences(&sqlite_schema, &postgres_schema);

    assert!(
        drift.is_empty(),
        "the SQLite and PostgreSQL migrations have drifted apart:\n{}",
        drift.join("\n")
    );
    // Both catalogs were really read (an empty schema on both sides would agree too).
    for schema in [&sqlite_schema, &postgres_schema] {
        let organizations = &schema["organizations"];
        assert_eq!(organizations.primary_key, ["id"]);
        assert!(
            organizations
                .unique_constraints
                .contains(&vec!["credit_code".to_owned()])
        );
        assert_eq!(organizations.indexes["organizations_name"].columns, ["name"]);
        assert!(!organizations.columns["name"].nullable);
        assert!(schema.len() >= 20, "{:?}", schema.keys());
    }

    // And drift is found, to the column: an index and a nullable column only in PostgreSQL, a column
    // only in SQLite.
    for statement in [
        "CREATE INDEX villages_drift ON villages (township_code, name DESC)",
        "ALTER TABLE villages ALTER COLUMN township_name DROP NOT NULL",
    ] {
        postgres.execute(statement).await.unwrap();
    }
    sqlite
        .execute("ALTER TABLE villages ADD COLUMN drift TEXT")
        .await
        .unwrap();
    let drifted = differences(&read(sqlite).await, &read(postgres).await);
    assert_eq!(
        drifted,
        [
            "villages.drift: only in SQLite",
            "villages.township_name: SQLite Column { nullable: false, family: Text }, \
             PostgreSQL Column { nullable: true, family: Text }",
            "index villages_drift on villages: only in PostgreSQL",
        ]
    );
}

/// Every table of the application (not sqlx's `_sqlx_migrations`, not the backend's own tables).
pub type Schema = BTreeMap<String, Table>;

#[derive(Debug, Default, PartialEq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// The primary key's columns, in order.
    pub primary_key: Vec<String>,
    /// Indexes created by name (`CREATE INDEX`), by name.
    pub indexes: BTreeMap<String, Index>,
    /// The indexes behind `UNIQUE` constraints: each backend names them its own way.
    pub unique_constraints: BTreeSet<Vec<String>>,
}

#[derive(Debug, PartialEq)]
pub struct Column {
    pub nullable: bool,
    pub family: Family,
}

/// The kind of value a column holds, as both backends can say it: `TIMESTAMPTZ` and `DATE` are `TEXT`
/// in SQLite, `BIGINT` and `INTEGER` are both integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Integer,
    Boolean,
    Real,
    Text,
    Blob,
    Other,
}

#[derive(Debug, PartialEq)]
pub struct Index {
    /// Column names in order, `-` before a descending one, `<expression>` for an expression.
    pub columns: Vec<String>,
    pub unique: bool,
    pub partial: bool,
}

pub async fn read(db: &Db) -> Schema {
    match db {
        Db::Sqlite(pool) => read_sqlite(pool).await,
        Db::Postgres(pool) => read_postgres(pool).await,
    }
}

/// SQLite's declared type, by its type-affinity rules (<https://sqlite.org/datatype3.html>), with
/// `BOOLEAN` told apart so that it can match PostgreSQL's.
fn sqlite_family(declared: &str) -> Family {
    let declared = declared.to_uppercase();
    if declared.contains("BOOL") {
        Family::Boolean
    } else if declared.contains("INT") {
        Family::Integer
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| declared.contains(t)) {
        Family::Text
    } else if declared.contains("BLOB") || declared.is_empty() {
        Family::Blob
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| declared.contains(t)) {
        Family::Real
    } else {
        Family::Other
    }
}

/// PostgreSQL's type (`information_schema.columns.data_type`), as the SQLite migration stores it.
fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "smallint" | "integer" | "bigint" => Family::Integer,
        "boolean" => Family::Boolean,
        "real" | "double precision" | "numeric" => Family::Real,
        "text"
        | "character varying"
        | "character"
        | "date"
        | "timestamp with time zone"
        | "timestamp without time zone"
        | "json"
        | "jsonb"
        | "uuid" => Family::Text,
        "bytea" => Family::Blob,
        _ => Family::Other,
    }
}

async fn read_sqlite(pool: &sqlx::SqlitePool) -> Schema {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (name,) in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut primary_key = Vec::new();
        for (column, declared, not_null, pk) in columns {
            // A primary key column cannot be NULL in PostgreSQL; SQLite reports it as nullable.
            let nullable = not_null == 0 && pk == 0;
            if pk > 0 {
                primary_key.push((pk, column.clone()));
            }
            let family = sqlite_family(&declared);
            table.columns.insert(column, Column { nullable, family });
        }
        primary_key.sort();
        table.primary_key = primary_key.into_iter().map(|(_, c)| c).collect();
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin, partial) in indexes {
            let keys: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT name, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&index)
            .fetch_all(pool)
            .await
            .unwrap();
            let columns = keys
                .into_iter()
                .map(|(column, desc)| key(column, desc != 0))
                .collect();
            match origin.as_str() {
                "c" => {
                    let index_entry = Index {
                        columns,
                        unique: unique != 0,
                        partial: partial != 0,
                    };
                    table.indexes.insert(index, index_entry);
                }
                "u" => {
                    table.unique_constraints.insert(columns);
                }
                // The index of a primary key that is not the rowid: its columns are the primary key.
                _ => {}
            }
        }
        schema.insert(name, table);
    }
    schema
}

async fn read_postgres(pool: &sqlx::PgPool) -> Schema {
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::TEXT, c.column_name::TEXT, c.is_nullable::TEXT, c.data_type::TEXT
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table, column, is_nullable, data_type) in columns {
        let entry = Column {
            nullable: is_nullable == "YES",
            family: postgres_family(&data_type),
        };
        schema.entry(table).or_default().columns.insert(column, entry);
    }
    // Each index with its key columns in order (attribute 0 is an expression) and what owns it.
    let indexes: Vec<PgIndex> = sqlx::query_as(
        "SELECT t.relname::TEXT AS table_name, i.relname::TEXT AS index_name, x.indisunique AS unique,
                    x.indisprimary AS primary, x.indpred IS NOT NULL AS partial,
                    (SELECT c.contype::TEXT FROM pg_constraint c WHERE c.conindid = x.indexrelid
                       AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u')) AS constraint_kind,
                    ARRAY(SELECT COALESCE(a.attname::TEXT, '<expression>')
                          FROM unnest(x.indkey::INT2[]) WITH ORDINALITY AS k(attnum, ord)
                          LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                          ORDER BY k.ord) AS columns,
                    ARRAY(SELECT COALESCE(pg_index_column_has_property(x.indexrelid, k::INT4, 'desc'), FALSE)
                          FROM generate_series(1, x.indnatts) AS k ORDER BY k) AS descending
             FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for index in indexes {
        let columns: Vec<String> = index
            .columns
            .into_iter()
            .zip(index.descending)
            .map(|(column, desc)| key(Some(column), desc))
            .collect();
        let table = schema.entry(index.table_name).or_default();
        if index.primary {
            table.primary_key = columns;
        } else if index.constraint_kind.as_deref() == Some("u") {
            table.unique_constraints.insert(columns);
        } else {
            let index_entry = Index {
                columns,
                unique: index.unique,
                partial: index.partial,
            };
            table.indexes.insert(index.index_name, index_entry);
        }
    }
    schema
}

/// A row of `pg_index`, as read above.
#[derive(sqlx::FromRow)]
struct PgIndex {
    table_name: String,
    index_name: String,
    unique: bool,
    primary: bool,
    partial: bool,
    /// `u` for the index of a `UNIQUE` constraint, `p` for the primary key's.
    constraint_kind: Option<String>,
    columns: Vec<String>,
    descending: Vec<bool>,
}

/// One key column as compared: its name (`<expression>` when it is none), `-` first when descending.
fn key(column: Option<String>, descending: bool) -> String {
    let column = column.unwrap_or_else(|| "<expression>".to_owned());
    if descending { format!("-{column}") } else { column }
}

/// Every difference between the two schemas, one sentence each; none when they agree.
pub fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    for name in sqlite.keys().filter(|t| !postgres.contains_key(*t)) {
        found.push(format!("table {name}: only in SQLite"));
    }
    for name in postgres.keys().filter(|t| !sqlite.contains_key(*t)) {
        found.push(format!("table {name}: only in PostgreSQL"));
    }
    for (name, s) in sqlite {
        let Some(p) = postgres.get(name) else {
            continue;
        };
        for (column, sc) in &s.columns {
            match p.columns.get(column) {
                None => found.push(format!("{name}.{column}: only in SQLite")),
                Some(pc) if pc != sc => {
                    found.push(format!("{name}.{column}: SQLite {sc:?}, PostgreSQL {pc:?}"))
                }
                Some(_) => {}
            }
        }
        for column in p.columns.keys().filter(|c| !s.columns.contains_key(*c)) {
            found.push(format!("{name}.{column}: only in PostgreSQL"));
        }
        if s.primary_key != p.primary_key {
            found.push(format!(
                "{name}: primary key ({}) in SQLite, ({}) in PostgreSQL",
                s.primary_key.join(", "),
                p.primary_key.join(", ")
            ));
        }
        if s.unique_constraints != p.unique_constraints {
            found.push(format!(
                "{name}: UNIQUE constraints {:?} in SQLite, {:?} in PostgreSQL",
                s.unique_constraints, p.unique_constraints
            ));
        }
        for (index, si) in &s.indexes {
            match p.indexes.get(index) {
                None => found.push(format!("index {index} on {name}: only in SQLite")),
                Some(pi) if pi != si => found.push(format!(
                    "index {index} on {name}: SQLite {si:?}, PostgreSQL {pi:?}"
                )),
                Some(_) => {}
            }
        }
        for index in p.indexes.keys().filter(|i| !s.indexes.contains_key(*i)) {
            found.push(format!("index {index} on {name}: only in PostgreSQL"));
        }
    }
    found
}
