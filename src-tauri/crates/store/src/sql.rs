//! The one way repositories reach a database, whichever engine holds the workspace (issue 16:
//! SQLite for a file, PostgreSQL for a shared workspace).
//!
//! A repository function takes `&dyn Sql` and writes its SQL once, with SQLite's numbered
//! parameters (`?1`, `?2`, ...) and the SQL both engines share (`IS DISTINCT FROM`, `ON
//! CONFLICT`, `RETURNING`, `CAST(... AS BIGINT)`); a backend translates what it must (the
//! PostgreSQL backend writes `?N` as `$N`). Values cross as [`Param`] and come back as
//! [`Value`], the five kinds both engines store: integers (also booleans, as 0 and 1), text
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

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
    Real(f64),
}

/// One row of a result, its columns in the order the statement names them.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as `T`; a missing column or a value of another kind is a decoding error
    /// naming the column.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let value = self
            .0
            .get(i)
            .ok_or_else(|| StoreError::Decode(format!("no column {i} in the row")))?;
        T::from_value(value)
            .ok_or_else(|| StoreError::Decode(format!("column {i} holds {value:?}")))
    }
}

/// What a column's value can be read as.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl FromValue for u32 {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| u32::try_from(i).ok())
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(r) => Some(*r),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Blob(b) => Some(b.clone()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A connection (or a transaction on one) that runs statements. Every method runs inside the
/// caller's transaction; none commits.
pub trait Sql {
    /// Runs a statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64>;
    /// Runs a query; every row it returns.
    fn query(&self, sql: &str, params: &[&dyn ToParam]) -> Result<Vec<Row>>;

    /// At most one row (the first).
    fn query_opt(&self, sql: &str, params: &[&dyn ToParam]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Exactly one row.
    fn query_one(&self, sql: &str, params: &[&dyn ToParam]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Decode(format!("no row for: {sql}")))
    }
}

fn sqlite_params<'a>(params: &'a [&'a dyn ToParam]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p.to_param() {
            Param::Null => rusqlite::types::Value::Null,
            Param::Int(i) => rusqlite::types::Value::Integer(i),
            Param::Text(t) => rusqlite::types::Value::Text(t.to_string()),
            Param::Blob(b) => rusqlite::types::Value::Blob(b.to_vec()),
            Param::Real(r) => rusqlite::types::Value::Real(r),
        })
        .collect()
}

impl Sql for rusqlite::Connection {
    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64> {
        let values = sqlite_params(params);
        let changed = self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        Ok(changed as u64)
    }

    fn query(&self, sql: &str, params: &[&dyn ToParam]) -> Result<Vec<Row>> {
        let values = sqlite_params(params);
        let mut stmt = self.prepare_cached(sql)?;
        let width = stmt.column_count();
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            let mut row = Vec::with_capacity(width);
            for i in 0..width {
                row.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                    rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::Text(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            Ok(Row(row))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Sql for rusqlite::Transaction<'_> {
    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<u64> {
        Sql::execute(&**self, sql, params)
    }

    fn query(&self, sql: &str, params: &[&dyn ToParam]) -> Result<Vec<Row>> {
        Sql::query(&**self, sql, params)
    }
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
        let row = db
            .query_one("SELECT i, s, b, r, n FROM t", args![])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(row.get::<i64>(0).ok(), Some(7));
        assert_eq!(row.get::<String>(1).ok().as_deref(), Some("ö"));
        assert_eq!(row.get::<Vec<u8>>(2).ok(), Some(vec![1, 2]));
        assert_eq!(row.get::<f64>(3).ok(), Some(1.5));
        assert_eq!(row.get::<Option<String>>(4).ok(), Some(None));
        assert!(row.get::<String>(0).is_err(), "an integer is not text");
        assert!(row.get::<i64>(9).is_err(), "no such column");
    }
}
