//! Credence's PostgreSQL store: a workspace on a server, for a committee on many desks (issue
//! 16). Being built module by module: the repositories that run on [`credence_store::sql::Sql`]
//! run here too (today: units, people, the institution, preferences, settings, blobs, the
//! academic calendar, the audit log and certificate templates), and the schema grows with them (`migrations/`: PostgreSQL's own
//! sequence, each file naming the SQLite migrations whose tables it holds).
//!
//! The client is the synchronous `postgres` crate (rust-postgres): the app's use cases are
//! synchronous closures over one transaction, as they are on SQLite (ARCHITECTURE.md says why).
//! A statement's `?N` parameters are written `$N`; each parameter is bound as the type the
//! server infers for it, and each column read by its type.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use credence_store::sql::{numbered_as_dollars, Columns, Param, Sql, ToParam, ValueRef};
use credence_store::{Result, StoreError};
use postgres::fallible_iterator::FallibleIterator as _;
use postgres::types::{IsNull, ToSql, Type};

mod backend;
pub use backend::{connect, init, open, redacted, PgBackend, PASSWORD_ENV};

/// Ordered migrations; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_foundation.sql"),
    include_str!("../migrations/0002_settings_blobs_calendar.sql"),
    include_str!("../migrations/0003_signed_entries.sql"),
    include_str!("../migrations/0004_certificates.sql"),
    include_str!("../migrations/0005_proposals_review_awarding.sql"),
    include_str!("../migrations/0006_version_review_cycle.sql"),
    include_str!("../migrations/0007_credential_images.sql"),
    include_str!("../migrations/0008_batch_learners.sql"),
];

/// The schema version this build writes on a server.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A client or server error in PostgreSQL's words, with its SQLSTATE code.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {} ({})", db.message(), db.code().code()),
        None => format!("PostgreSQL: {e}"),
    }
}

fn backend(e: &postgres::Error) -> StoreError {
    StoreError::Backend(describe(e))
}

fn busy(sql: &str) -> StoreError {
    StoreError::Backend(format!(
        "a statement was run while another's rows were being read (a repository must collect \
         rows before querying again): {sql}"
    ))
}

/// Creates the workspace schema in an empty database (no table in its `public` schema); a
/// database that holds anything is refused without a change.
pub fn create_schema(client: &mut postgres::Client) -> Result<()> {
    let mut tx = client.transaction().map_err(|e| backend(&e))?;
    let tables: i64 = tx
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .map_err(|e| backend(&e))?
        .get(0);
    if tables > 0 {
        return Err(StoreError::Backend(format!(
            "the database is not empty ({tables} tables): a workspace is made only in an empty database"
        )));
    }
    for migration in MIGRATIONS {
        tx.batch_execute(migration).map_err(|e| backend(&e))?;
    }
    tx.execute(
        "INSERT INTO credence_workspace (application, schema_version) VALUES ('credence', $1)",
        &[&SCHEMA_VERSION],
    )
    .map_err(|e| backend(&e))?;
    tx.commit().map_err(|e| backend(&e))
}

/// The statements a connection has prepared, by their SQL as repositories write it: each is
/// parsed by the server once per connection rather than at every use.
#[derive(Default)]
pub struct Statements(RefCell<HashMap<String, postgres::Statement>>);

/// Beyond this many, the cache starts again (only SQL built at run time could grow it).
const CACHED_STATEMENTS: usize = 512;

/// A transaction on a PostgreSQL workspace, as the repositories use it.
pub struct PgSql<'a> {
    tx: RefCell<postgres::Transaction<'a>>,
    statements: Option<&'a Statements>,
}

impl<'a> PgSql<'a> {
    /// A transaction whose statements are prepared at each use.
    pub fn new(tx: postgres::Transaction<'a>) -> Self {
        Self {
            tx: RefCell::new(tx),
            statements: None,
        }
    }

    /// A transaction whose statements are prepared once per connection.
    pub fn cached(tx: postgres::Transaction<'a>, statements: &'a Statements) -> Self {
        Self {
            tx: RefCell::new(tx),
            statements: Some(statements),
        }
    }

    /// The prepared statement for `sql` (with `?N` written `$N`).
    fn statement(
        &self,
        tx: &mut postgres::Transaction<'a>,
        sql: &str,
    ) -> Result<postgres::Statement> {
        if let Some(cache) = self.statements {
            if let Some(found) = cache.0.borrow().get(sql) {
                return Ok(found.clone());
            }
        }
        // A statement the server cannot prepare is a bug of Credence's: name it.
        let prepared = tx.prepare(&numbered_as_dollars(sql)).map_err(|e| {
            let statement = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            StoreError::Backend(format!("{} in: {statement}", describe(&e)))
        })?;
        if let Some(cache) = self.statements {
            let mut cache = cache.0.borrow_mut();
            if cache.len() >= CACHED_STATEMENTS {
                cache.clear();
            }
            cache.insert(sql.to_string(), prepared.clone());
        }
        Ok(prepared)
    }

    pub fn commit(self) -> Result<()> {
        self.tx.into_inner().commit().map_err(|e| backend(&e))
    }
}

/// A parameter bound as the type the statement expects of it.
#[derive(Debug)]
struct Bound<'a>(Param<'a>);

impl ToSql for Bound<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Param::Text(t) => t.to_sql(ty, out),
            Param::Blob(b) => b.to_sql(ty, out),
            Param::Real(r) => r.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        // Checked per value in `to_sql`, which refuses a type it cannot write.
        true
    }

    postgres::types::to_sql_checked!();
}

/// A row as the repositories read it: each column by its type, borrowed.
struct PgRow<'r>(&'r postgres::Row);

impl Columns for PgRow<'_> {
    fn value(&self, i: usize) -> Result<ValueRef<'_>> {
        let row = self.0;
        let column = row
            .columns()
            .get(i)
            .ok_or_else(|| StoreError::Decode(format!("no column {i} in the row")))?;
        let read = |e: postgres::Error| backend(&e);
        Ok(match *column.type_() {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, ValueRef::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, |v| ValueRef::Int(i64::from(v))),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, |v| ValueRef::Int(i64::from(v))),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, |v| ValueRef::Int(i64::from(v))),
            Type::FLOAT8 => row
                .try_get::<_, Option<f64>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, ValueRef::Real),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
                .try_get::<_, Option<&str>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, ValueRef::Text),
            Type::BYTEA => row
                .try_get::<_, Option<&[u8]>>(i)
                .map_err(read)?
                .map_or(ValueRef::Null, ValueRef::Blob),
            ref other => {
                return Err(StoreError::Decode(format!(
                    "column {} is of type {other}, which Credence does not read",
                    column.name()
                )))
            }
        })
    }
}

impl PgSql<'_> {
    fn bind<'p>(params: &'p [&'p dyn ToParam]) -> Vec<Bound<'p>> {
        params.iter().map(|p| Bound(p.to_param())).collect()
    }
}

impl Sql for PgSql<'_> {
    fn engine(&self) -> credence_store::sql::Engine {
        credence_store::sql::Engine::Postgres
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64> {
        let bound = Self::bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> =
            bound.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        let mut tx = self.tx.try_borrow_mut().map_err(|_| busy(sql))?;
        let statement = self.statement(&mut tx, sql)?;
        tx.execute(&statement, &refs).map_err(|e| backend(&e))
    }

    fn each(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        each: &mut dyn FnMut(&dyn Columns) -> Result<()>,
    ) -> Result<()> {
        let bound = Self::bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> =
            bound.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        // Rows stream from the server as they are read; none is held after its turn. The
        // connection is busy meanwhile: a repository that queried again from inside a row's
        // turn gets this error (on SQLite it would work), never a panic.
        let mut tx = self.tx.try_borrow_mut().map_err(|_| busy(sql))?;
        let statement = self.statement(&mut tx, sql)?;
        let mut rows = tx
            .query_raw(&statement, refs.iter().copied())
            .map_err(|e| backend(&e))?;
        while let Some(row) = rows.next().map_err(|e| backend(&e))? {
            each(&PgRow(&row))?;
        }
        Ok(())
    }
}
