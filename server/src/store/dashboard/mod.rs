//! 工作成效 — the year's figures, each counted from the records of its module, and the records behind each.
//!
//! A figure is a [`Measure`] over one [`Source`]: the rows of some tables that a condition keeps for a
//! year and a place. The figure's value and its drill-down are two queries over the *same* rows — the
//! value counts (or sums) the rows the drill-down lists — so a count figure always equals the `total` of
//! its records, by construction. The definitions users read are in `domain::dashboard`; each area's
//! sources are in its own file and follow them.
//!
//! A source's SQL names its parameters as `{start}` (the year's first day), `{end}` (the next year's first
//! day, excluded), `{start_ts}`/`{end_ts}` (the same instants at midnight China time, for timestamp
//! columns), `{year}` (the year as a number), `{division}` (a `LIKE` pattern: `3401%`, or `%`) and
//! `{today}` (today in China, for a rule that depends on whether a day has passed, like a time limit);
//! [`Template`] binds each occurrence in order, so the same text runs on SQLite and PostgreSQL.

pub(crate) mod cache;
mod impact;
mod party;
mod registration;
mod supervision;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::api::FigureRecord;
use domain::dashboard::{FigureKey, percent};
use domain::paging::PageRequest;
use futures_util::{StreamExt, TryStreamExt, stream};
use sqlx::{Database, QueryBuilder};

use crate::store::{Store, on_pool};

/// How a figure is computed from its rows.
pub(crate) enum Measure {
    /// The number of rows.
    Count(Source),
    /// The sum of the rows' `amount` (fen, or people).
    Sum(Source),
    /// The rows of `numerator` as a share of the rows of `denominator`, in percent.
    Share { numerator: Source, denominator: Source },
}

impl Measure {
    /// The rows a drill-down lists: the counted ones, or a share's numerator.
    fn records(&self) -> &Source {
        match self {
            Measure::Count(source) | Measure::Sum(source) => source,
            Measure::Share { numerator, .. } => numerator,
        }
    }
}

/// Rows of some tables, one per record, kept by a condition.
pub(crate) struct Source {
    /// What follows `FROM`: a table and its joins.
    pub from: &'static str,
    /// What follows `WHERE`, with `{start}`, `{end}`, `{division}` … for the period and the place.
    pub filter: &'static str,
    /// `GROUP BY` when a record is made of several rows (an organization with several entries).
    pub group_by: Option<&'static str>,
    /// The drill-down's columns, as SQL expressions over `from`.
    pub columns: Columns,
}

/// How a row reads in the drill-down (SQL expressions; `NULL` where there is nothing to show).
pub(crate) struct Columns {
    /// The record's id (BIGINT).
    pub id: &'static str,
    /// The organization or body (TEXT).
    pub title: &'static str,
    /// A credit code or document number (TEXT or NULL).
    pub code: &'static str,
    /// The date that puts it in the year (DATE or NULL; `date(x)` for a timestamp).
    pub date: &'static str,
    /// A key that `describe` turns into the row's detail (TEXT).
    pub detail: &'static str,
    /// What the row adds to a sum (BIGINT or NULL).
    pub amount: &'static str,
    /// The record's app page: a path and the id appended to it (`("/organizations/", "o.id")`).
    pub link: Option<(&'static str, &'static str)>,
    /// `ORDER BY`: newest first, then the id, so that pages do not overlap.
    pub order: &'static str,
    /// The detail users read, from the `detail` key (labels a stage or a kind).
    pub describe: fn(&str) -> String,
}

/// The detail as stored.
pub(crate) fn verbatim(detail: &str) -> String {
    detail.to_owned()
}

/// The period and place a figure is computed for.
#[derive(Debug, Clone)]
pub struct Period {
    pub year: i32,
    start: NaiveDate,
    end: NaiveDate,
    /// A `LIKE` pattern for division codes: `3401%`, or `%` for everything.
    division: String,
}

impl Period {
    /// The calendar year `year` in the division whose codes start with `prefix` (`""`: the province).
    pub fn new(year: i32, prefix: &str) -> Option<Period> {
        Some(Period {
            year,
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
            division: format!("{prefix}%"),
        })
    }

    /// The same place a year earlier.
    pub fn previous(&self) -> Option<Period> {
        Period::new(self.year - 1, self.division.trim_end_matches('%'))
    }

    /// Midnight of `day` in China (UTC+8), as an instant.
    fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
        let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset");
        offset
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .expect("a fixed offset has one midnight")
            .with_timezone(&Utc)
    }
}

/// SQL text with `{name}` parameters, pushed into a query with each occurrence bound.
struct Template<'a>(&'a str);

impl Template<'_> {
    fn push<'args, DB>(&self, query: &mut QueryBuilder<'args, DB>, period: &Period)
    where
        DB: Database,
        NaiveDate: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
        DateTime<Utc>: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
        String: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    {
        let mut rest = self.0;
        while let Some(open) = rest.find('{') {
            query.push(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .unwrap_or_else(|| panic!("an unclosed parameter in a dashboard source: {}", self.0));
            match &rest[open + 1..close] {
                "start" => query.push_bind(period.start),
                "end" => query.push_bind(period.end),
                "start_ts" => query.push_bind(Period::china_midnight(period.start)),
                "end_ts" => query.push_bind(Period::china_midnight(period.end)),
                "year" => query.push_bind(i64::from(period.year)),
                "division" => query.push_bind(period.division.clone()),
                "today" => query.push_bind(crate::state::today()),
                other => panic!("an unknown parameter {{{other}}} in a dashboard source"),
            };
            rest = &rest[close + 1..];
        }
        query.push(rest);
    }
}

/// `SELECT <select> FROM <from> WHERE <filter> [GROUP BY …]` for a period.
fn push_rows<'args, DB>(query: &mut QueryBuilder<'args, DB>, source: &Source, select: &str, period: &Period)
where
    DB: Database,
    NaiveDate: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
{
    query.push("SELECT ").push(select).push(" FROM ");
    Template(source.from).push(query, period);
    query.push(" WHERE ");
    Template(source.filter).push(query, period);
    if let Some(group_by) = source.group_by {
        query.push(" GROUP BY ").push(group_by);
    }
}

/// How a figure is computed.
pub(crate) fn measure(key: FigureKey) -> Measure {
    match key.area() {
        domain::dashboard::Area::Party => party::measure(key),
        domain::dashboard::Area::Registration => registration::measure(key),
        domain::dashboard::Area::Supervision => supervision::measure(key),
        domain::dashboard::Area::Impact => impact::measure(key),
    }
}

/// A figure's value for one period: the value, and for a share its numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub value: i64,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
}

/// The drill-down row as read.
type RecordRow = (
    i64,
    String,
    Option<String>,
    Option<NaiveDate>,
    String,
    Option<i64>,
    Option<i64>,
);

/// How many figures are counted at once (each is one query on its own connection).
const PARALLEL_FIGURES: usize = 4;

impl Store {
    /// Every figure for `period`, in [`FigureKey::ALL`]'s order: from the cache while no write has changed
    /// the data since they were counted, else counted again.
    pub async fn figures(&self, period: &Period) -> Result<Vec<(FigureKey, Value)>, sqlx::Error> {
        let state = self.data_state().await?;
        if let Some(figures) = self.dashboard_cache.get(period, state) {
            return Ok(figures);
        }
        let figures = self.count_figures(period).await?;
        self.dashboard_cache.put(period, state, figures.clone());
        Ok(figures)
    }

    async fn count_figures(&self, period: &Period) -> Result<Vec<(FigureKey, Value)>, sqlx::Error> {
        stream::iter(FigureKey::ALL)
            .map(|key| async move { Ok::<_, sqlx::Error>((key, self.figure(key, period).await?)) })
            .buffered(PARALLEL_FIGURES)
            .try_collect()
            .await
    }

    /// One figure for `period`.
    pub async fn figure(&self, key: FigureKey, period: &Period) -> Result<Value, sqlx::Error> {
        Ok(match measure(key) {
            Measure::Count(source) => Value {
                value: self.count_rows(&source, period).await?,
                numerator: None,
                denominator: None,
            },
            Measure::Sum(source) => Value {
                value: self.sum_rows(&source, period).await?,
                numerator: None,
                denominator: None,
            },
            Measure::Share {
                numerator,
                denominator,
            } => {
                let numerator = self.count_rows(&numerator, period).await?;
                let denominator = self.count_rows(&denominator, period).await?;
                Value {
                    value: percent(numerator, denominator).unwrap_or(0),
                    numerator: Some(numerator),
                    denominator: Some(denominator),
                }
            }
        })
    }

    /// The records behind a figure (a share's numerator), a page at a time, with their total.
    pub async fn figure_records(
        &self,
        key: FigureKey,
        period: &Period,
        page: PageRequest,
    ) -> Result<(Vec<FigureRecord>, u64), sqlx::Error> {
        let measure = measure(key);
        let source = measure.records();
        let columns = &source.columns;
        let link_id = columns.link.map_or("NULL", |(_, id)| id);
        let select = format!(
            "{} AS id, {} AS title, {} AS code, {} AS day, {} AS detail, CAST({} AS BIGINT) AS amount, \
             CAST({link_id} AS BIGINT) AS link_id",
            columns.id, columns.title, columns.code, columns.date, columns.detail, columns.amount
        );
        let total = self.count_rows(source, period).await?;
        let rows: Vec<RecordRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new("");
            push_rows(&mut query, source, &select, period);
            query
                .push(" ORDER BY ")
                .push(columns.order)
                .push(" LIMIT ")
                .push_bind(page.limit())
                .push(" OFFSET ")
                .push_bind(page.offset());
            query.build_query_as().fetch_all(pool).await?
        });
        let records = rows
            .into_iter()
            .map(|(id, title, code, date, detail, amount, link_id)| FigureRecord {
                id,
                title,
                code,
                date,
                detail: (columns.describe)(&detail),
                amount,
                link: columns
                    .link
                    .zip(link_id)
                    .map(|((path, _), id)| format!("{path}{id}")),
            })
            .collect();
        Ok((records, total.max(0) as u64))
    }

    async fn count_rows(&self, source: &Source, period: &Period) -> Result<i64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT COUNT(*) FROM (");
            push_rows(&mut query, source, "1 AS one", period);
            query.push(") counted");
            let (n,): (i64,) = query.build_query_as().fetch_one(pool).await?;
            Ok(n)
        })
    }

    async fn sum_rows(&self, source: &Source, period: &Period) -> Result<i64, sqlx::Error> {
        let select = format!("{} AS amount", source.columns.amount);
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT CAST(COALESCE(SUM(summed.amount), 0) AS BIGINT) FROM (");
            push_rows(&mut query, source, &select, period);
            query.push(") summed");
            let (n,): (i64,) = query.build_query_as().fetch_one(pool).await?;
            Ok(n)
        })
    }
}
