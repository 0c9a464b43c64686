//! Opening a workspace on a PostgreSQL server: connecting (over TLS, checked against the
//! system's trusted certificates, unless the server is on this machine or the URL says
//! otherwise), checking that the database is a Credence workspace this build reads, migrating
//! an older one, and the [`Backend`] the store runs its transactions on.

use std::sync::Arc;
use std::time::Duration;

use credence_store::sql::Sql as _;
use credence_store::{Backend, OpenMode, Result, Store, StoreError};
use postgres::config::{Host, SslMode};
use postgres::IsolationLevel;

use crate::{backend, create_schema, PgSql, Statements, MIGRATIONS, SCHEMA_VERSION};

/// Where a server workspace's password may come from when its URL has none (the window keeps
/// it in the system keyring and hands it over the same way).
pub const PASSWORD_ENV: &str = "CREDENCE_WORKSPACE_PASSWORD";

/// The advisory lock a workspace's writers take in turn (its key: "credence" in ASCII; the
/// lock is the database's, so workspaces in other databases do not share it).
const WRITER_LOCK: i64 = 0x6372_6564_656e_6365;

/// A workspace on a PostgreSQL server: one connection, its prepared statements, and the URL
/// it was opened with (without the password) to name it.
pub struct PgBackend {
    client: postgres::Client,
    statements: Statements,
    location: String,
}

impl Backend for PgBackend {
    fn read(
        &mut self,
        work: &mut dyn FnMut(&dyn credence_store::sql::Sql) -> Result<()>,
    ) -> Result<()> {
        // One snapshot for the whole read, as a SQLite read transaction sees.
        let tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| backend(&e))?;
        let db = PgSql::cached(tx, &self.statements);
        work(&db)?;
        db.commit()
    }

    fn write(
        &mut self,
        work: &mut dyn FnMut(&dyn credence_store::sql::Sql) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.client.transaction().map_err(|e| backend(&e))?;
        // One writer at a time, as on a SQLite file: every seat's write waits here for the
        // one before it to commit, so each reads the state that one left (the audit chain's
        // head, the next status-list index, whether an award or a code exists) and appends
        // after it. Reads never wait.
        tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            .map_err(|e| backend(&e))?;
        let db = PgSql::cached(tx, &self.statements);
        work(&db)?;
        db.commit()
    }

    fn location(&self) -> String {
        self.location.clone()
    }
}

/// The URL without its password, to show and to remember.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

/// Whether every host the URL names is this machine (a loopback address, `localhost`, or a
/// Unix socket), where the connection never crosses a network.
fn local_only(config: &postgres::Config) -> bool {
    !config.get_hosts().is_empty()
        && config.get_hosts().iter().all(|h| match h {
            Host::Tcp(name) => {
                name == "localhost"
                    || name
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            Host::Unix(_) => true,
        })
}

/// The URL's `sslrootcert=FILE` (a certificate to trust beside the system's, for a server
/// with its own certificate authority), taken out: the client library does not read it.
fn take_root_certificate(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut root = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some(("sslrootcert", file)) => {
                root = Some(file.to_string());
                false
            }
            _ => true,
        })
        .collect();
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, root)
}

fn tls(root_certificate: Option<&str>, at: &str) -> Result<rustls::ClientConfig> {
    let unopenable = |detail: String| StoreError::Unopenable {
        at: at.to_string(),
        detail,
    };
    let mut roots = rustls::RootCertStore::empty();
    // Certificates the system cannot read are skipped; the ones it can are trusted.
    for certificate in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(certificate);
    }
    if let Some(file) = root_certificate {
        let pem = std::fs::read(file)
            .map_err(|e| unopenable(format!("cannot read the sslrootcert file {file} ({e})")))?;
        for der in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
            let der = der.map_err(|e| unopenable(format!("{file} holds no certificate ({e})")))?;
            roots
                .add(der)
                .map_err(|e| unopenable(format!("{file}: {e}")))?;
        }
    }
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| unopenable(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

/// Connects to the server a workspace URL names. Off this machine the connection must be
/// TLS with a certificate the system (or `sslrootcert`) trusts, unless the URL sets `sslmode`
/// itself; the password comes from the URL or [`PASSWORD_ENV`].
pub fn connect(url: &str) -> Result<postgres::Client> {
    let at = redacted(url);
    let unopenable = |detail: String| StoreError::Unopenable {
        at: at.clone(),
        detail,
    };
    let (url, root_certificate) = take_root_certificate(url);
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e| unopenable(format!("not a PostgreSQL URL ({e})")))?;
    if config.get_password().is_none() {
        if let Some(password) = std::env::var_os(PASSWORD_ENV) {
            config.password(password.to_string_lossy().as_bytes());
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if !url.contains("sslmode=") && !local_only(&config) {
        config.ssl_mode(SslMode::Require);
    }
    let connected = if config.get_ssl_mode() == SslMode::Disable {
        config.connect(postgres::NoTls)
    } else {
        let tls = tls(root_certificate.as_deref(), &at)?;
        config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    };
    connected.map_err(|e| unopenable(crate::describe(&e)))
}

/// Opens the workspace in the database a URL names, refusing without a change a database
/// that is not a Credence workspace or is of a newer schema; an empty one is made a
/// workspace with [`OpenMode::CreateIfMissing`]; an older one is migrated.
pub fn open(url: &str, mode: OpenMode) -> Result<Store> {
    let at = redacted(url);
    let refused = |why: String| StoreError::Refused {
        at: at.clone(),
        why,
    };
    let mut client = connect(url)?;
    let marked: bool = client
        .query_one("SELECT to_regclass('credence_workspace') IS NOT NULL", &[])
        .map_err(|e| backend(&e))?
        .get(0);
    if !marked {
        let tables = tables(&mut client)?;
        match (tables, mode) {
            (0, OpenMode::CreateIfMissing) => create_schema(&mut client)?,
            (0, OpenMode::MustExist) => {
                return Err(refused(
                    "an empty database, not yet a Credence workspace (make one in it with \
                     `credence workspace init-server URL`)"
                        .into(),
                ))
            }
            (n, _) => {
                return Err(refused(format!(
                    "not a Credence workspace (it holds {n} tables of another program)"
                )))
            }
        }
    }
    migrate(&mut client, &at)?;
    Ok(Store::on(Box::new(PgBackend {
        client,
        statements: Statements::default(),
        location: at,
    })))
}

/// Makes the database a URL names an empty Credence workspace; a database holding anything
/// is refused without a change.
pub fn init(url: &str) -> Result<()> {
    let at = redacted(url);
    let mut client = connect(url)?;
    let tables = tables(&mut client)?;
    if tables > 0 {
        return Err(StoreError::Refused {
            at,
            why: format!(
                "the database is not empty ({tables} tables): a workspace is made only in an empty database"
            ),
        });
    }
    create_schema(&mut client)
}

fn tables(client: &mut postgres::Client) -> Result<i64> {
    Ok(client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )
        .map_err(|e| backend(&e))?
        .get(0))
}

/// Brings an older workspace's schema up to this build's, in one transaction that holds the
/// workspace's mark locked (two seats opening it at once migrate it once); refuses a newer
/// one, or a mark that is not Credence's, without a change.
fn migrate(client: &mut postgres::Client, at: &str) -> Result<()> {
    let refused = |why: String| StoreError::Refused {
        at: at.to_string(),
        why,
    };
    let mut tx = client.transaction().map_err(|e| backend(&e))?;
    tx.batch_execute("LOCK TABLE credence_workspace IN EXCLUSIVE MODE")
        .map_err(|e| backend(&e))?;
    let marks = tx
        .query(
            "SELECT application, schema_version FROM credence_workspace",
            &[],
        )
        .map_err(|e| backend(&e))?;
    let [mark] = marks.as_slice() else {
        return Err(refused(format!(
            "not a Credence workspace (its credence_workspace table holds {} rows, not one)",
            marks.len()
        )));
    };
    let (application, version): (String, i64) = (mark.get(0), mark.get(1));
    if application != "credence" {
        return Err(refused(format!(
            "not a Credence workspace (it is marked as {application:?})"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(refused(format!(
            "this workspace was written by a newer Credence (schema {version}; this version reads \
             up to {SCHEMA_VERSION}); update Credence to open it"
        )));
    }
    if version < 0 {
        return Err(refused(format!(
            "not a Credence workspace (schema {version})"
        )));
    }
    for migration in MIGRATIONS.iter().skip(version as usize) {
        tx.batch_execute(migration).map_err(|e| {
            // The app's role may change rows, not the schema (the README's role setup).
            if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                refused(format!(
                    "this workspace's schema ({version}) is older than this version's \
                     ({SCHEMA_VERSION}) and this role may not change it: open it once as the \
                     database's owner role, which migrates it"
                ))
            } else {
                backend(&e)
            }
        })?;
    }
    if version < SCHEMA_VERSION {
        let db = PgSql::new(tx);
        db.execute(
            "UPDATE credence_workspace SET schema_version = ?1",
            credence_store::args![SCHEMA_VERSION],
        )?;
        db.commit()
    } else {
        tx.commit().map_err(|e| backend(&e))
    }
}
