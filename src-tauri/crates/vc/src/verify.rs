//! Verifying a credential as a person receives it (a `.json` file, or a baked `.png` or
//! `.svg`), into a report with one plain-language line per check.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::status_list::{issuer_id, PublishedList};
use crate::{bake, proof, VcError};

/// Files larger than this are refused before parsing; no badge comes near it.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// Could not be checked here (a status list that is not at hand); not a failure.
    Unchecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub outcome: Outcome,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The credential's `id`, when it could be read.
    pub credential_id: Option<String>,
    pub checks: Vec<Check>,
    /// When the credential stopped being valid (its `validUntil`), where it has: the
    /// validity check fails with it.
    pub expired_on: Option<String>,
}

impl Report {
    /// Whether nothing failed.
    pub fn verified(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Fail)
    }

    /// The day an authentic credential expired, where expiry is all that fails: its proof,
    /// issuer and status hold, so it is a real credential that is no longer valid, not a
    /// broken one.
    pub fn only_expired(&self) -> Option<&str> {
        let expired = self.expired_on.as_deref()?;
        self.checks
            .iter()
            .all(|c| c.outcome != Outcome::Fail || c.name == "validity")
            .then_some(expired)
    }

    fn add(&mut self, name: &'static str, outcome: Outcome, message: impl Into<String>) {
        self.checks.push(Check {
            name,
            outcome,
            message: message.into(),
        });
    }
}

/// Reads the credential JSON from a file's bytes: JSON itself, a baked PNG or SVG, or a
/// certificate PDF with the credential attached.
pub fn extract(bytes: &[u8]) -> Result<String, VcError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(VcError::Malformed(format!(
            "the file is {} MB; a credential is at most {} MB",
            bytes.len() / (1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    if bytes.starts_with(b"\x89PNG") {
        return bake::unbake_png(bytes);
    }
    if bytes.starts_with(b"%PDF-") {
        return bake::unbake_pdf(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        VcError::Malformed("the file is not a credential (neither JSON, PNG, SVG nor PDF)".into())
    })?;
    let head = text.trim_start();
    if head.starts_with('<') {
        return bake::unbake_svg(text);
    }
    Ok(text.to_string())
}

/// Verifies one credential. `status_list` returns the decoded list published at a URL, if it
/// is at hand (it must itself verify, which the caller's lookup is responsible for).
pub fn verify(
    bytes: &[u8],
    now: DateTime<Utc>,
    status_list: &dyn Fn(&str) -> Option<Result<PublishedList, VcError>>,
) -> Report {
    let mut report = Report {
        credential_id: None,
        checks: Vec::new(),
        expired_on: None,
    };
    let json = match extract(bytes) {
        Ok(j) => j,
        Err(e) => {
            report.add("format", Outcome::Fail, e.to_string());
            return report;
        }
    };
    // serde_json refuses nesting deeper than 128 levels, so hostile depth is an error here.
    let credential: Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => {
            report.add(
                "format",
                Outcome::Fail,
                format!("the credential is not valid JSON ({e})"),
            );
            return report;
        }
    };
    report.credential_id = credential
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Err(why) = shape(&credential) {
        report.add("shape", Outcome::Fail, why);
        return report;
    }
    report.add(
        "shape",
        Outcome::Pass,
        "it is shaped as a verifiable credential",
    );
    let is_badge = credential
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| {
            t.iter()
                .any(|t| t == "OpenBadgeCredential" || t == "AchievementCredential")
        });
    if is_badge {
        match crate::schema::check_ob(&credential) {
            Ok(()) => report.add(
                "schema",
                Outcome::Pass,
                "it matches the Open Badges 3.0 JSON schema",
            ),
            Err(problems) => report.add(
                "schema",
                Outcome::Fail,
                format!(
                    "it does not match the Open Badges 3.0 JSON schema: {}",
                    problems.join("; ")
                ),
            ),
        }
    }

    let issuer = issuer_id(&credential).unwrap_or_default().to_string();
    match proof::verify(&credential) {
        Ok(p) => {
            report.add(
                "signature",
                Outcome::Pass,
                format!(
                    "signed with {} by {} on {}",
                    p.cryptosuite.name(),
                    p.verification_method,
                    p.created.as_deref().unwrap_or("an unstated date")
                ),
            );
            let controller = p.verification_method.split('#').next().unwrap_or_default();
            if controller == issuer {
                report.add(
                    "issuer",
                    Outcome::Pass,
                    format!("the signing key belongs to the issuer {issuer}"),
                );
            } else {
                report.add(
                    "issuer",
                    Outcome::Fail,
                    format!("the signing key belongs to {controller}, not to the issuer {issuer}"),
                );
            }
        }
        Err(e) => report.add("signature", Outcome::Fail, e.to_string()),
    }
    validity(&credential, now, &mut report);
    status(&credential, status_list, &mut report);
    report
}

fn shape(c: &Value) -> Result<(), String> {
    let object = c.as_object().ok_or("the credential is not a JSON object")?;
    let first_context = object
        .get("@context")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str);
    if first_context != Some(crate::contexts::CREDENTIALS_V2) {
        return Err("its first @context is not the Verifiable Credentials 2.0 context".into());
    }
    let types = object
        .get("type")
        .and_then(Value::as_array)
        .ok_or("it has no type list")?;
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err("its type does not include VerifiableCredential".into());
    }
    if issuer_id(c).is_none() {
        return Err("it has no issuer id".into());
    }
    if !object
        .get("credentialSubject")
        .is_some_and(Value::is_object)
    {
        return Err("it has no credentialSubject object".into());
    }
    Ok(())
}

fn validity(c: &Value, now: DateTime<Utc>, report: &mut Report) {
    let date = |name: &str| -> Result<Option<DateTime<Utc>>, String> {
        match c.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|_| format!("{name} \"{s}\" is not a date and time")),
            Some(_) => Err(format!("{name} is not a date and time")),
        }
    };
    match (date("validFrom"), date("validUntil")) {
        (Err(e), _) | (_, Err(e)) => report.add("validity", Outcome::Fail, e),
        (Ok(Some(from)), _) if from > now => report.add(
            "validity",
            Outcome::Fail,
            format!("it is not valid before {}", from.to_rfc3339()),
        ),
        (Ok(_), Ok(Some(until))) if until <= now => {
            report.expired_on = Some(until.date_naive().to_string());
            report.add(
                "validity",
                Outcome::Fail,
                format!("it expired on {}", until.to_rfc3339()),
            )
        }
        (Ok(_), Ok(until)) => report.add(
            "validity",
            Outcome::Pass,
            match until {
                Some(u) => format!("it is valid until {}", u.to_rfc3339()),
                None => "it is valid now and does not expire".into(),
            },
        ),
    }
}

fn status(
    c: &Value,
    lookup: &dyn Fn(&str) -> Option<Result<PublishedList, VcError>>,
    report: &mut Report,
) {
    let Some(entry) = c.get("credentialStatus") else {
        report.add(
            "status",
            Outcome::Pass,
            "it has no revocation status to check",
        );
        return;
    };
    let url = entry.get("statusListCredential").and_then(Value::as_str);
    let index = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|i| i.parse::<usize>().ok());
    let (Some(url), Some(index)) = (url, index) else {
        report.add(
            "status",
            Outcome::Fail,
            "its credentialStatus has no statusListCredential URL or numeric statusListIndex",
        );
        return;
    };
    match lookup(url) {
        None => report.add(
            "status",
            Outcome::Unchecked,
            format!("not checked: the status list {url} is not at hand"),
        ),
        Some(Err(e)) => report.add(
            "status",
            Outcome::Fail,
            format!("the status list {url}: {e}"),
        ),
        Some(Ok(published)) if published.id != url => report.add(
            "status",
            Outcome::Fail,
            format!(
                "the status list at hand is {}, not {url} that the credential names",
                published.id
            ),
        ),
        Some(Ok(published)) if Some(published.issuer.as_str()) != issuer_id(c) => report.add(
            "status",
            Outcome::Fail,
            format!(
                "the status list {url} was signed by {}, not by the credential's issuer {}",
                published.issuer,
                issuer_id(c).unwrap_or("(none)")
            ),
        ),
        Some(Ok(published)) => match published.list.get(index) {
            Ok(true) => report.add("status", Outcome::Fail, "it has been revoked by its issuer"),
            Ok(false) => report.add("status", Outcome::Pass, "it has not been revoked"),
            Err(e) => report.add("status", Outcome::Fail, e.to_string()),
        },
    }
}
