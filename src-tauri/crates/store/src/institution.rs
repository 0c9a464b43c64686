//! The institution profile row.

use credence_domain::institution::{country_name, Institution, LogoFacts, ValidInstitution};
use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

pub fn get(conn: &Connection) -> Result<Option<Institution>> {
    let row = conn
        .query_row(
            "SELECT name, country, url, email, logo_mime, logo_width, logo_height, length(logo)
             FROM institution WHERE id = 1",
            [],
            |r| {
                let country: String = r.get(1)?;
                let logo = match r.get::<_, Option<String>>(4)? {
                    Some(mime) => Some(LogoFacts {
                        mime,
                        width: r.get(5)?,
                        height: r.get(6)?,
                        bytes: r.get::<_, i64>(7)?.max(0) as u64,
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
        .optional()?;
    Ok(row)
}

/// Creates or replaces the profile's fields, keeping the logo.
pub fn set(conn: &Connection, v: &ValidInstitution) -> Result<()> {
    conn.execute(
        "INSERT INTO institution (id, name, country, url, email) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = ?1, country = ?2, url = ?3, email = ?4",
        params![v.name, v.country, v.url, v.email],
    )?;
    Ok(())
}

/// Stores the logo of an existing profile; `None` removes it.
pub fn set_logo(conn: &Connection, logo: Option<(&LogoFacts, &[u8])>) -> Result<()> {
    match logo {
        Some((facts, bytes)) => conn.execute(
            "UPDATE institution SET logo = ?1, logo_mime = ?2, logo_width = ?3, logo_height = ?4
             WHERE id = 1",
            params![bytes, facts.mime, facts.width, facts.height],
        )?,
        None => conn.execute(
            "UPDATE institution SET logo = NULL, logo_mime = NULL, logo_width = NULL,
             logo_height = NULL WHERE id = 1",
            [],
        )?,
    };
    Ok(())
}

/// The logo's bytes and media type.
pub fn logo(conn: &Connection) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT logo_mime, logo FROM institution WHERE id = 1 AND logo IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
