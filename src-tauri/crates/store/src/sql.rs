//! The one way repositories reach a database, whichever engine holds the workspace (issue 16:
//! SQLite for a file, PostgreSQL for a shared workspace).
//!
//! A repository function takes `&dyn Sql` and writes its SQL once, with SQLite's numbered
//! parameters (`?1`, `?2`, ...) and the SQL both engines share (`IS DISTINCT FROM`, `ON
//! CONFLICT`, `RETURNING`, `CAST(... AS BIGINT)`); a backend translates what it must (the
//! PostgreSQL backend writes `?N` as `$N`). PostgreSQL takes a parameter's type from its first
//! use, so an optional filter is written `column = ?N OR ?N IS NULL`, the typed use first. Values cross as [`Param`] and are read in place
//! from each row ([`Columns`], [`ValueRef`]; `map`, `map_opt`, `map_one`), the five kinds both
//! engines store: integers (also booleans, as 0 and 1), text
//! (also dates and times, as ISO 8601), bytes, reals and null. `&rusqlite::Connection` and
//! `&rusqlite::Transaction` are `&dyn Sql`, so a repository ported to this interface is called
//! as before.

use crate::{Result, StoreError};

/// A value bound to a statement's parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
    Real(f64),
}

/// What can be bound as a parameter.
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

impl ToParam for i64 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(*self)
    }
}

impl ToParam for i32 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for u32 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for u64 {
    fn to_param(&self) -> Param<'_> {
        // Counts and sizes: far below i64::MAX; one beyond saturates rather than wraps.
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for usize {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::to_param)
    }
}

/// The parameters of a statement, in order: `args![a, b, c]`.
#[macro_export]
macro_rules! args {
    () => { &[] as &[&dyn $crate::sql::ToParam] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::sql::ToParam),+] as &[&dyn $crate::sql::ToParam] };
}

/// A value of a row's column, borrowed from the engine's row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
    Real(f64),
}

/// The columns of the row at hand, in the order the statement names them; read in place
/// (nothing is copied but what a getter returns).
pub trait Columns {
    fn value(&self, i: usize) -> Result<ValueRef<'_>>;
}

impl dyn Columns + '_ {
    /// Column `i` as `T`; a missing column or a value of another kind is a decoding error
    /// naming the column.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let value = self.value(i)?;
        T::from_value(value)
            .ok_or_else(|| StoreError::Decode(format!("column {i} holds {value:?}")))
    }
}

/// What a column's value can be read as.
pub trait FromValue: Sized {
    fn from_value(v: ValueRef<'_>) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Int(i) => Some(i),
            _ => None,
        }
    }
}

/// Narrower integers: a stored integer that does not fit is a decoding error, not a wrap.
macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: ValueRef<'_>) -> Option<Self> {
                i64::from_value(v).and_then(|i| <$t>::try_from(i).ok())
            }
        }
    )*};
}

from_integer!(u32, i32, u64, usize);

impl FromValue for bool {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Real(r) => Some(r),
            ValueRef::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Text(t) => Some(t.to_string()),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// The database engine behind a connection, for the few statements the engines write
/// differently (a repository branches on it, and says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection (or a transaction on one) that runs statements. Every method runs inside the
/// caller's transaction; none commits.
pub trait Sql {
    fn engine(&self) -> Engine;
    /// Runs a statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64>;
    /// Runs a query, handing `each` every row it returns, in order (`each` must not use this
    /// connection).
    fn each(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        each: &mut dyn FnMut(&dyn Columns) -> Result<()>,
    ) -> Result<()>;
}

impl dyn Sql + '_ {
    /// Every row, each made into a `T` by `f`.
    pub fn map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&dyn Columns) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row (if any), made into a `T` by `f`.
    pub fn map_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&dyn Columns) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut out = None;
        self.each(sql, params, &mut |row| {
            if out.is_none() {
                out = Some(f(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Exactly one row, made into a `T` by `f`.
    pub fn map_one<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&dyn Columns) -> Result<T>,
    ) -> Result<T> {
        self.map_opt(sql, params, f)?
            .ok_or_else(|| StoreError::Decode(format!("no row for: {sql}")))
    }
}

/// The parameters as rusqlite binds them, borrowed (no text or bytes copied).
fn sqlite_params<'a>(params: &'a [&'a dyn ToParam]) -> Vec<rusqlite::types::ToSqlOutput<'a>> {
    use rusqlite::types::{ToSqlOutput, ValueRef as Sqlite};
    params
        .iter()
        .map(|p| {
            ToSqlOutput::Borrowed(match p.to_param() {
                Param::Null => Sqlite::Null,
                Param::Int(i) => Sqlite::Integer(i),
                Param::Text(t) => Sqlite::Text(t.as_bytes()),
                Param::Blob(b) => Sqlite::Blob(b),
                Param::Real(r) => Sqlite::Real(r),
            })
        })
        .collect()
}

struct SqliteRow<'r, 's>(&'r rusqlite::Row<'s>);

impl Columns for SqliteRow<'_, '_> {
    fn value(&self, i: usize) -> Result<ValueRef<'_>> {
        Ok(match self.0.get_ref(i)? {
            rusqlite::types::ValueRef::Null => ValueRef::Null,
            rusqlite::types::ValueRef::Integer(i) => ValueRef::Int(i),
            rusqlite::types::ValueRef::Real(f) => ValueRef::Real(f),
            rusqlite::types::ValueRef::Text(t) => ValueRef::Text(
                std::str::from_utf8(t).map_err(|e| StoreError::Decode(e.to_string()))?,
            ),
            rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
        })
    }
}

impl Sql for rusqlite::Connection {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64> {
        let values = sqlite_params(params);
        let changed = self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        Ok(changed as u64)
    }

    fn each(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        each: &mut dyn FnMut(&dyn Columns) -> Result<()>,
    ) -> Result<()> {
        let values = sqlite_params(params);
        let mut stmt = self.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        while let Some(row) = rows.next()? {
            each(&SqliteRow(row))?;
        }
        Ok(())
    }
}

impl Sql for rusqlite::Transaction<'_> {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64> {
        Sql::execute(&**self, sql, params)
    }

    fn each(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        each: &mut dyn FnMut(&dyn Columns) -> Result<()>,
    ) -> Result<()> {
        Sql::each(&**self, sql, params, each)
    }
}

impl ToParam for ValueRef<'_> {
    fn to_param(&self) -> Param<'_> {
        match *self {
            ValueRef::Null => Param::Null,
            ValueRef::Int(i) => Param::Int(i),
            ValueRef::Text(t) => Param::Text(t),
            ValueRef::Blob(b) => Param::Blob(b),
            ValueRef::Real(r) => Param::Real(r),
        }
    }
}

/// Foreign keys are checked when the transaction commits, not statement by statement, for
/// writes whose rows name each other both ways (SQLite's `defer_foreign_keys`; PostgreSQL's
/// references are all `DEFERRABLE`).
pub fn defer_foreign_keys(db: &dyn Sql) -> Result<()> {
    db.execute(
        match db.engine() {
            Engine::Sqlite => "PRAGMA defer_foreign_keys = ON",
            Engine::Postgres => "SET CONSTRAINTS ALL DEFERRED",
        },
        args![],
    )?;
    Ok(())
}

/// The columns of `table` a statement may set, in the table's order (a column the server
/// computes, such as PostgreSQL's `award.rowid`, is not one).
pub fn table_columns(db: &dyn Sql, table: &str) -> Result<Vec<String>> {
    let sql = match db.engine() {
        Engine::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Engine::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1
               AND is_generated = 'NEVER' AND identity_generation IS DISTINCT FROM 'ALWAYS'
             ORDER BY ordinal_position"
        }
    };
    db.map(sql, args![table], |r| r.get(0))
}

/// Copies the rows of `table` that `filter` keeps (every row when empty; SQL of the source's
/// engine) from one workspace to another, on either engine: the columns both hold, value for
/// value. Returns how many rows were copied. `order` (SQL, may be empty) is the order rows
/// are read and written in.
pub fn copy_rows(
    from: &dyn Sql,
    to: &dyn Sql,
    table: &str,
    filter: &str,
    order: &str,
) -> Result<u64> {
    let target = table_columns(to, table)?;
    let columns: Vec<String> = table_columns(from, table)?
        .into_iter()
        .filter(|c| target.contains(c))
        .collect();
    if columns.is_empty() {
        return Err(StoreError::Decode(format!(
            "the table {table} has no columns in common between the two workspaces"
        )));
    }
    let list = columns.join(", ");
    let mut select = format!("SELECT {list} FROM {table}");
    if !filter.is_empty() {
        select.push_str(&format!(" WHERE {filter}"));
    }
    if !order.is_empty() {
        select.push_str(&format!(" ORDER BY {order}"));
    }
    let placeholders = (1..=columns.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let insert = format!("INSERT INTO {table} ({list}) VALUES ({placeholders})");
    let mut copied = 0;
    from.each(&select, args![], &mut |row| {
        let values = (0..columns.len())
            .map(|i| row.value(i))
            .collect::<Result<Vec<_>>>()?;
        let params: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        to.execute(&insert, &params)?;
        copied += 1;
        Ok(())
    })?;
    Ok(copied)
}

/// `sql` with SQLite's numbered parameters (`?1`) written as PostgreSQL's (`$1`); text in
/// quotes is left as it is.
pub fn numbered_as_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted: Option<char> = None;
    for c in sql.chars() {
        match quoted {
            Some(q) if c == q => quoted = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quoted = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollars_outside_quotes() {
        assert_eq!(
            numbered_as_dollars("SELECT a FROM t WHERE b = ?2 AND c = '?1' AND d = ?1"),
            "SELECT a FROM t WHERE b = $2 AND c = '?1' AND d = $1"
        );
    }

    #[test]
    fn values_round_trip_through_sqlite() {
        let conn = rusqlite::Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let db: &dyn Sql = &conn;
        db.execute(
            "CREATE TABLE t (i INTEGER, s TEXT, b BLOB, r REAL, n TEXT)",
            args![],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let none: Option<String> = None;
        db.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
            args![7_i64, "ö", vec![1_u8, 2], 1.5_f64, none],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let read = db
            .map_one("SELECT i, s, b, r, n FROM t", args![], |row| {
                assert!(row.get::<String>(0).is_err(), "an integer is not text");
                assert!(row.get::<i64>(9).is_err(), "no such column");
                Ok((
                    row.get::<i64>(0)?,
                    row.get::<String>(1)?,
                    row.get::<Vec<u8>>(2)?,
                    row.get::<f64>(3)?,
                    row.get::<Option<String>>(4)?,
                ))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, (7, "ö".to_string(), vec![1, 2], 1.5, None));
        assert!(db
            .map_opt("SELECT i FROM t WHERE i = 8", args![], |r| r.get::<i64>(0))
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none());
    }
}
