//! A whole workspace copied between engines (a file to a server and back): every table's
//! rows value for value, in one transaction on the target, then what each engine keeps for
//! itself rebuilt there (the search index, the next ids).

use crate::args;
use crate::sql::{copy_rows, defer_foreign_keys, Engine, Sql};
use crate::Result;

/// The workspace's tables, as each engine lists them; the search index is not among them
/// (each engine builds its own: FTS5 on SQLite, a tsvector on PostgreSQL), nor PostgreSQL's
/// mark of a workspace.
pub fn tables(db: &dyn Sql) -> Result<Vec<String>> {
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table'
               AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND name NOT LIKE 'proposal\\_text%' ESCAPE '\\'
             ORDER BY rowid"
        }
        Engine::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name NOT IN ('credence_workspace', 'proposal_text')
             ORDER BY table_name"
        }
    };
    db.map(sql, args![], |r| r.get(0))
}

/// Whether a workspace holds anything anyone made (an institution, a person, a proposal, an
/// audit entry): a copy goes only into one that does not.
pub fn holds_data(db: &dyn Sql) -> Result<bool> {
    db.map_one(
        "SELECT EXISTS (SELECT 1 FROM institution) OR EXISTS (SELECT 1 FROM person)
             OR EXISTS (SELECT 1 FROM proposal) OR EXISTS (SELECT 1 FROM audit_log)",
        args![],
        |r| r.get(0),
    )
}

/// How many rows a table's copy held.
pub type Copied = Vec<(String, u64)>;

/// Copies every row of every table from one workspace into another of the same schema
/// (which the caller has checked holds no data, and runs this in one transaction on), then
/// rebuilds the target's search index and, on PostgreSQL, sets each table's next id past the
/// copied ones. Awards keep the order they were made in.
pub fn everything(from: &dyn Sql, to: &dyn Sql) -> Result<Copied> {
    defer_foreign_keys(to)?;
    // What a new workspace holds of its own (a default setting, say) gives way to the copy.
    let tables = tables(from)?;
    for table in tables.iter().rev() {
        to.execute(&format!("DELETE FROM {table}"), args![])?;
    }
    let mut copied = Vec::new();
    for table in &tables {
        let order = match table.as_str() {
            // The order awards were made in (SQLite's rowid; PostgreSQL's own column).
            "award" => "rowid",
            _ => "",
        };
        copied.push((table.clone(), copy_rows(from, to, table, "", order)?));
    }
    crate::proposals::reindex_all(to)?;
    if to.engine() == Engine::Postgres {
        let identities = to.map(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT)
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND identity_generation = 'BY DEFAULT'",
            args![],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        for (table, column) in identities {
            to.map_one(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                                   COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
                ),
                args![],
                |_| Ok(()),
            )?;
        }
        // The planner's statistics of the rows just loaded: until autovacuum gathers them,
        // the first views would be planned blind. (A role that does not own the tables is
        // skipped with a warning, not refused.)
        to.execute("ANALYZE", args![])?;
    }
    Ok(copied)
}
