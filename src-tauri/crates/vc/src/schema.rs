//! The 1EdTech JSON schema of an Open Badges 3.0 `AchievementCredential` (bundled, pinned by
//! SHA-256 in a test), and checking a credential's shape against it.

use std::sync::OnceLock;

use serde_json::Value;

/// The schema, as 1EdTech publishes it at [`crate::credential::OB_SCHEMA`].
pub const OB_SCHEMA_JSON: &str =
    include_str!("../schema/ob_v3p0_achievementcredential_schema.json");

/// At most this many problems are reported; the first ones are what a person can act on.
const MAX_PROBLEMS: usize = 5;

/// The schema compiled with formats asserted, rooted at `root` (`None`: the credential;
/// `Some(def)`: one of its `$defs`, such as `Achievement`).
fn compile(root: Option<&str>) -> Option<jsonschema::Validator> {
    let mut schema: Value = serde_json::from_str(OB_SCHEMA_JSON).ok()?;
    if let Some(def) = root {
        let defs = schema.get("$defs")?.clone();
        schema = serde_json::json!({
            "$schema": schema.get("$schema")?.clone(),
            "$ref": format!("#/$defs/{def}"),
            "$defs": defs,
        });
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        // Draft 2019-09 only annotates `format` by default; a `date-time` that is a
        // bare date must fail, as it does for every verifier that asserts formats.
        .should_validate_formats(true)
        .build(&schema)
        .ok()
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR.get_or_init(|| compile(None)).as_ref()
}

fn achievement_validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| compile(Some("Achievement")))
        .as_ref()
}

/// Checks a published `Achievement` (the document at an achievement's id) against the
/// schema's `Achievement` definition: `Ok`, or the first problems, each naming where.
pub fn check_achievement(achievement: &Value) -> Result<(), Vec<String>> {
    let Some(validator) = achievement_validator() else {
        return Err(vec![
            "the bundled Open Badges schema cannot be compiled".into()
        ]);
    };
    problems(validator, achievement)
}

fn problems(validator: &jsonschema::Validator, value: &Value) -> Result<(), Vec<String>> {
    let problems: Vec<String> = validator
        .iter_errors(value)
        .take(MAX_PROBLEMS)
        .map(|e| {
            let at = e.instance_path().to_string();
            let message = e.to_string();
            let message: String = message.chars().take(300).collect();
            if at.is_empty() {
                message
            } else {
                format!("at {at}: {message}")
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Checks `credential` against the Open Badges 3.0 schema, formats asserted: `Ok`, or the
/// first problems, each naming where in the credential it is. The schema wants `proof` to be
/// an array, while the specification's own signed example (and most issuers) write one proof
/// object, which VC Data Integrity allows: a single proof object is checked as a list of one,
/// so its fields are still checked.
pub fn check_ob(credential: &Value) -> Result<(), Vec<String>> {
    let mut listed = credential.clone();
    if let Some(proof) = listed.get_mut("proof").filter(|p| p.is_object()) {
        *proof = Value::Array(vec![proof.take()]);
    }
    let credential = &listed;
    let Some(validator) = validator() else {
        return Err(vec![
            "the bundled Open Badges schema cannot be compiled".into()
        ]);
    };
    problems(validator, credential)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_bundled_schema_is_the_published_one() {
        assert_eq!(
            hex::encode(Sha256::digest(OB_SCHEMA_JSON.as_bytes())),
            "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a"
        );
        assert!(validator().is_some());
    }

    #[test]
    fn the_open_badges_example_matches_and_a_broken_one_is_named() {
        let signed: Value = serde_json::from_str(include_str!(
            "../tests/vectors/ob3-1edtech/ob3_1edtech_signed.json"
        ))
        .unwrap_or_default();
        assert_eq!(check_ob(&signed), Ok(()));
        let mut broken = signed;
        broken["credentialSubject"]["achievement"]
            .as_object_mut()
            .map(|a| a.remove("criteria"));
        let problems = check_ob(&broken).expect_err("criteria is required");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("/credentialSubject/achievement") && p.contains("criteria")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_achievement_alone_is_checked_against_its_definition() {
        let signed: Value = serde_json::from_str(include_str!(
            "../tests/vectors/ob3-1edtech/ob3_1edtech_signed.json"
        ))
        .unwrap_or_default();
        let achievement = signed["credentialSubject"]["achievement"].clone();
        assert_eq!(check_achievement(&achievement), Ok(()));
        let mut broken = achievement;
        broken.as_object_mut().map(|a| a.remove("criteria"));
        let problems = check_achievement(&broken).expect_err("criteria is required");
        assert!(
            problems.iter().any(|p| p.contains("criteria")),
            "{problems:?}"
        );
    }

    #[test]
    fn formats_are_asserted_a_bare_date_where_a_date_time_belongs_is_named() {
        let signed: Value = serde_json::from_str(include_str!(
            "../tests/vectors/ob3-1edtech/ob3_1edtech_signed.json"
        ))
        .unwrap_or_default();
        let mut dated = signed.clone();
        dated["credentialSubject"]["activityEndDate"] = "2026-05-15T12:00:00Z".into();
        assert_eq!(check_ob(&dated), Ok(()));
        let mut bare = signed.clone();
        bare["credentialSubject"]["activityEndDate"] = "2026-05-15".into();
        let problems = check_ob(&bare).expect_err("a bare date is not a date-time");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("at /credentialSubject/activityEndDate:")
                    && p.contains("date-time")),
            "{problems:?}"
        );
        // The single proof object is checked as a list of one: its dates count too.
        let mut proof = signed;
        proof["proof"]["created"] = "yesterday".into();
        let problems = check_ob(&proof).expect_err("a proof's created is a date-time");
        assert!(
            problems.iter().any(|p| p.contains("/proof/0/created")),
            "{problems:?}"
        );
    }
}
