//! The institution profile row (on [`crate::sql::Sql`]: SQLite and PostgreSQL alike).

use credence_domain::institution::{country_name, Institution, LogoFacts, ValidInstitution};

use crate::args;
use crate::sql::Sql;
use crate::Result;

pub fn get(db: &dyn Sql) -> Result<Option<Institution>> {
    db.map_opt(
        "SELECT name, country, url, email, logo_mime, logo_width, logo_height,
                CAST(length(logo) AS BIGINT)
         FROM institution WHERE id = 1",
        args![],
        |r| {
            let country: String = r.get(1)?;
            let logo = match r.get::<Option<String>>(4)? {
                Some(mime) => Some(LogoFacts {
                    mime,
                    width: r.get(5)?,
                    height: r.get(6)?,
                    bytes: u64::try_from(r.get::<i64>(7)?).unwrap_or(0),
                }),
                None => None,
            };
            Ok(Institution {
                name: r.get(0)?,
                country_name: country_name(&country),
                country,
                url: r.get(2)?,
                email: r.get(3)?,
                logo,
            })
        },
    )
}

/// Creates or replaces the profile's fields, keeping the logo.
pub fn set(db: &dyn Sql, v: &ValidInstitution) -> Result<()> {
    db.execute(
        "INSERT INTO institution (id, name, country, url, email) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = ?1, country = ?2, url = ?3, email = ?4",
        args![v.name, v.country, v.url, v.email],
    )?;
    Ok(())
}

/// Stores the logo of an existing profile; `None` removes it.
pub fn set_logo(db: &dyn Sql, logo: Option<(&LogoFacts, &[u8])>) -> Result<()> {
    match logo {
        Some((facts, bytes)) => db.execute(
            "UPDATE institution SET logo = ?1, logo_mime = ?2, logo_width = ?3, logo_height = ?4
             WHERE id = 1",
            args![bytes, facts.mime, facts.width, facts.height],
        )?,
        None => db.execute(
            "UPDATE institution SET logo = NULL, logo_mime = NULL, logo_width = NULL,
             logo_height = NULL WHERE id = 1",
            args![],
        )?,
    };
    Ok(())
}

/// The logo's bytes and media type.
pub fn logo(db: &dyn Sql) -> Result<Option<(String, Vec<u8>)>> {
    db.map_opt(
        "SELECT logo_mime, logo FROM institution WHERE id = 1 AND logo IS NOT NULL",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
