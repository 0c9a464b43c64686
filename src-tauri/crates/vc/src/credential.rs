//! The Open Badges 3.0 credential Credence issues, as typed structs (no free-form maps).
//!
//! Serialized, a [`Credential`] is the JSON a verifier reads; [`crate::fast`] turns the same
//! struct straight into the RDF dataset that `eddsa-rdfc-2022` signs, which the tests check
//! against the general JSON-LD processor for every optional part.

use serde::{Deserialize, Serialize};

use crate::contexts::{CREDENTIALS_V2, OB_EXTENSIONS, OB_V3};

/// The 1EdTech JSON schema every Open Badges 3.0 credential names in `credentialSchema`.
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// Namespace of the terms that carry the EU Council Recommendation's elements Open Badges 3.0
/// has no field for. The context is written inline in the credential, so no verifier has to
/// fetch it.
pub const EU_VOCAB: &str = "urn:credence:eu-microcredential#";

/// One entry of `@context`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextEntry {
    Url(String),
    /// The inline context defining the EU terms (always exactly [`eu_context`]).
    Eu(Box<EuContext>),
}

/// The inline context of the EU terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EuContext {
    #[serde(rename = "euLearningOutcome")]
    pub learning_outcome: EuTerm,
    #[serde(rename = "euWorkloadHours")]
    pub workload_hours: EuTerm,
    #[serde(rename = "euEctsCredits")]
    pub ects_credits: EuTerm,
    #[serde(rename = "euQualificationLevel")]
    pub qualification_level: EuTerm,
    #[serde(rename = "euAssessmentType")]
    pub assessment_type: EuTerm,
    #[serde(rename = "euParticipationForm")]
    pub participation_form: EuTerm,
    #[serde(rename = "euQualityAssurance")]
    pub quality_assurance: EuTerm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EuTerm {
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type", default, skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    #[serde(
        rename = "@container",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub container: Option<String>,
}

const XSD_FLOAT: &str = "http://www.w3.org/2001/XMLSchema#float";

/// The one inline context Credence writes for the EU terms.
pub fn eu_context() -> EuContext {
    let term = |name: &str, datatype: Option<&str>, set: bool| EuTerm {
        id: format!("{EU_VOCAB}{name}"),
        datatype: datatype.map(str::to_string),
        container: set.then(|| "@set".to_string()),
    };
    EuContext {
        learning_outcome: term("learningOutcome", None, true),
        workload_hours: term("workloadHours", Some(XSD_FLOAT), false),
        ects_credits: term("ectsCredits", Some(XSD_FLOAT), false),
        qualification_level: term("qualificationLevel", None, false),
        assessment_type: term("assessmentType", None, true),
        participation_form: term("participationForm", None, false),
        quality_assurance: term("qualityAssurance", None, false),
    }
}

/// The `@context` of a Credence credential: VC 2.0, OB 3.0.3, OB extensions, and the EU
/// terms when the institution opts in.
pub fn contexts(eu: bool) -> Vec<ContextEntry> {
    let mut list: Vec<ContextEntry> = [CREDENTIALS_V2, OB_V3, OB_EXTENSIONS]
        .into_iter()
        .map(|u| ContextEntry::Url(u.to_string()))
        .collect();
    if eu {
        list.push(ContextEntry::Eu(Box::new(eu_context())));
    }
    list
}

/// An `OpenBadgeCredential`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Credential {
    #[serde(rename = "@context")]
    pub context: Vec<ContextEntry>,
    /// `urn:uuid:...`
    pub id: String,
    /// `["VerifiableCredential", "OpenBadgeCredential"]`
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub issuer: Profile,
    /// UTC, ending in `Z`.
    pub valid_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub credential_subject: Subject,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    pub credential_schema: Vec<CredentialSchema>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<StatusEntry>,
}

/// The issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Profile {
    /// The issuer's `did:key`.
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The country's name.
    pub address_country: String,
    /// ISO 3166-1 alpha-2.
    pub address_country_code: String,
}

/// An image by reference: a `data:` URL (so the credential carries it) or an https URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// The learner and what they achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subject {
    /// The learner's DID, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<IdentityObject>,
    pub achievement: Achievement,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result: Vec<AwardResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_earned: Option<f64>,
    /// A DateTime, as Open Badges types it (see [`completion_date_time`]). Credentials issued
    /// by earlier builds wrote a bare `YYYY-MM-DD` here: they still read and verify their
    /// signature, and the schema check names the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_end_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityObject {
    #[serde(rename = "type")]
    pub kind: String,
    pub hashed: bool,
    /// `sha256$<hex>` when hashed, else the plain value.
    pub identity_hash: String,
    pub identity_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// The microcredential version being awarded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Achievement {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub achievement_type: String,
    pub name: String,
    pub description: String,
    pub criteria: Criteria,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alignment: Vec<Alignment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// The same achievement in its other languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// `"v3"`: the microcredential's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(
        rename = "euLearningOutcome",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub eu_learning_outcome: Vec<String>,
    #[serde(
        rename = "euWorkloadHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eu_workload_hours: Option<f64>,
    #[serde(
        rename = "euEctsCredits",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eu_ects_credits: Option<f64>,
    #[serde(
        rename = "euQualificationLevel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eu_qualification_level: Option<String>,
    #[serde(
        rename = "euAssessmentType",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub eu_assessment_type: Vec<String>,
    #[serde(
        rename = "euParticipationForm",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eu_participation_form: Option<String>,
    #[serde(
        rename = "euQualityAssurance",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub eu_quality_assurance: Option<String>,
}

/// Another edition of an achievement: here, the same version in another language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Related {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    pub narrative: String,
}

/// A skill the microcredential aligns to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Alignment {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub target_name: String,
    pub target_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
}

/// A grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardResult {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What kind of evidence (schema.org `genre`): "Recognition of prior learning" marks an
    /// award earned that way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSchema {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Where the credential's revocation bit is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusEntry {
    /// `<list URL>#<index>`
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status_purpose: String,
    /// The index as a decimal string, as the specification writes it.
    pub status_list_index: String,
    pub status_list_credential: String,
}

impl StatusEntry {
    pub fn revocation(list_url: &str, index: usize) -> Self {
        Self {
            id: format!("{list_url}#{index}"),
            kind: "BitstringStatusListEntry".into(),
            status_purpose: "revocation".into(),
            status_list_index: index.to_string(),
            status_list_credential: list_url.to_string(),
        }
    }
}

/// The `activityEndDate` of a learner who completed on `date`: noon UTC of that day.
///
/// Open Badges types the field as a DateTime, while an institution records the day a learner
/// completed. Noon UTC is the one time of day that a verifier showing it in its own time zone
/// reads back as the same calendar day from UTC-12 to UTC+11 (midnight UTC would show the day
/// before everywhere in the Americas; the end of the day, the day after in Europe and Asia).
pub fn completion_date_time(date: chrono::NaiveDate) -> String {
    format!("{}T12:00:00Z", date.format("%Y-%m-%d"))
}

/// `sha256$<hex>` of `value` followed by `salt`, as Open Badges hashes identities.
pub fn identity_hash(value: &str, salt: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{value}{salt}").as_bytes());
    format!("sha256${}", hex::encode(digest))
}

impl Credential {
    /// The credential as JSON.
    pub fn to_value(&self) -> serde_json::Value {
        // Serializing these structs cannot fail: every field is a string, number, bool or list.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Reads a credential that is exactly of Credence's shape: `None` when the JSON has any
    /// member the typed structs do not carry, or writes a value differently (so that the
    /// fast path only ever canonicalizes what it fully understands).
    pub fn from_exact(value: &serde_json::Value) -> Option<Self> {
        let typed: Credential = serde_json::from_value(value.clone()).ok()?;
        (typed.to_value() == *value).then_some(typed)
    }
}

/// A new `urn:uuid:`, version 7 (RFC 9562): the milliseconds since 1970 in its first 48
/// bits, then 74 bits from the operating system's random source. Ids made one after another
/// sort one after another, so a workspace's indexes on them (awards, credentials, the audit
/// log's entities) take each new one at their end: a batch's chunk rewrote most of each
/// index's pages when its ids fell anywhere (version 4). The time it tells is the issue
/// time the credential carries anyway (`validFrom`).
pub fn new_urn_uuid() -> Result<String, crate::VcError> {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    Ok(urn_uuid_v7(
        u64::try_from(millis).unwrap_or(u64::MAX),
        crate::keys::random::<16>()?,
    ))
}

/// The version 7 `urn:uuid:` of `millis` and the random bytes `b` (of which 74 bits are
/// used).
fn urn_uuid_v7(millis: u64, mut b: [u8; 16]) -> String {
    b[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A random salt for hashing a learner's email (16 bytes, hex).
pub fn new_salt() -> Result<String, crate::VcError> {
    Ok(hex::encode(crate::keys::random::<16>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_sort_by_their_time() {
        // RFC 9562's example: 2022-02-22 19:22:22 UTC (1645557742000 ms).
        let id = urn_uuid_v7(0x017F_22E2_79B0, [0xff; 16]);
        assert_eq!(id, "urn:uuid:017f22e2-79b0-7fff-bfff-ffffffffffff");
        let earlier = urn_uuid_v7(0x017F_22E2_79AF, [0xff; 16]);
        let later = urn_uuid_v7(0x017F_22E2_79B1, [0; 16]);
        assert!(earlier < id && id < later);
        let fresh = new_urn_uuid().expect("an id");
        assert_eq!(fresh.len(), "urn:uuid:".len() + 36);
        assert_eq!(&fresh["urn:uuid:".len() + 14..][..1], "7", "{fresh}");
        let next = new_urn_uuid().expect("an id");
        assert!(fresh[..9 + 13] <= next[..9 + 13], "{fresh} then {next}");
    }
}
