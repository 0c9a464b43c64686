//! What changed between two versions of a microcredential's content, field by field, with
//! lists compared item by item (an outcome added, removed or reworded), and how big the
//! change is under the institution's triage rules (which fields make it major, which make it
//! a new microcredential).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::proposal::ProposalContent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    /// A list item replaced by one much like it.
    Reworded,
}

/// One difference: a field (`outcomes`, `workload.credits`), what happened, and the text
/// before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    pub field: String,
    pub kind: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How big a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeLevel {
    Minor,
    Major,
    /// Changes a field that makes it another microcredential (its title): propose a new
    /// one and retire this one.
    NewMicrocredential,
}

/// Which fields decide the level, as data (a field named here by its path or its first part:
/// `workload` covers `workload.credits`). Every other field is minor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TriageRules {
    pub major: Vec<String>,
    pub new_microcredential: Vec<String>,
}

impl Default for TriageRules {
    fn default() -> Self {
        let list = |s: &[&str]| s.iter().map(|f| f.to_string()).collect();
        TriageRules {
            major: list(&[
                "outcomes",
                "level",
                "academic_level",
                "credit_status",
                "workload",
                "components",
                "assessment_types",
                "award_threshold",
                "identity_verification",
                "prerequisites",
            ]),
            new_microcredential: list(&["title"]),
        }
    }
}

/// The differences, and the level with the fields that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Diff {
    pub changes: Vec<FieldChange>,
    /// `None` when nothing changed.
    pub level: Option<ChangeLevel>,
    /// The changed fields that set the level (for a minor change, every changed field).
    pub deciding: Vec<String>,
}

/// A value as a person reads it: text as is; a record (an attachment, a component, a
/// prerequisite) by its name or title, with its kind or size where it has one.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        // A translation: every text it holds, so a reworded outcome shows as a change.
        Value::Object(m) if m.contains_key("language") && m.contains_key("outcomes") => {
            let field = |k: &str| m.get(k).map(text).unwrap_or_default();
            let mut out = format!("{}: {}", field("language"), field("title"));
            for k in ["short_title", "description"] {
                let v = field(k);
                if !v.is_empty() {
                    out.push_str(&format!("\n{v}"));
                }
            }
            for o in m
                .get("outcomes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&format!("\n- {}", text(o)));
            }
            out
        }
        Value::Object(m) => {
            let first = |keys: &[&str]| keys.iter().find_map(|k| m.get(*k).and_then(Value::as_str));
            match first(&["name", "title", "description", "code"]) {
                Some(name) => match (
                    first(&["media_type", "kind"]),
                    m.get("size").and_then(Value::as_u64),
                ) {
                    (Some(kind), Some(size)) => format!("{name} ({kind}, {size} bytes)"),
                    (Some(kind), None) => format!("{name} ({kind})"),
                    _ => name.to_string(),
                },
                None => v.to_string(),
            }
        }
        other => other.to_string(),
    }
}

fn words(s: &str) -> std::collections::HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Word overlap of two texts (the Dice coefficient: shared words over the words of both,
/// so a sentence extended by a clause still reads as the same sentence), 0 to 1.
fn likeness(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * a.intersection(&b).count() as f64 / total as f64
}

/// Items of two lists: those kept (in any order) are unchanged; a removed item much like an
/// added one (half their words shared or more) is reworded; the rest added or removed.
fn compare_list(field: &str, before: &[Value], after: &[Value], out: &mut Vec<FieldChange>) {
    let old: Vec<String> = before.iter().map(text).collect();
    let new: Vec<String> = after.iter().map(text).collect();
    let removed: Vec<&String> = old.iter().filter(|o| !new.contains(o)).collect();
    let mut added: Vec<Option<&String>> =
        new.iter().filter(|n| !old.contains(n)).map(Some).collect();
    for r in removed {
        let best = added
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|a| (i, likeness(r, a))))
            .filter(|(_, l)| *l >= 0.5)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((i, _)) => {
                out.push(FieldChange {
                    field: field.into(),
                    kind: ChangeKind::Reworded,
                    before: Some(r.clone()),
                    after: added[i].cloned(),
                });
                added[i] = None;
            }
            None => out.push(FieldChange {
                field: field.into(),
                kind: ChangeKind::Removed,
                before: Some(r.clone()),
                after: None,
            }),
        }
    }
    for a in added.into_iter().flatten() {
        out.push(FieldChange {
            field: field.into(),
            kind: ChangeKind::Added,
            before: None,
            after: Some(a.clone()),
        });
    }
}

fn compare(field: &str, before: &Value, after: &Value, out: &mut Vec<FieldChange>) {
    if before == after {
        return;
    }
    let empty = |v: &Value| {
        v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                compare(
                    &format!("{field}.{k}"),
                    b.get(k).unwrap_or(&Value::Null),
                    a.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(b), Value::Array(a)) => compare_list(field, b, a, out),
        (Value::Array(b), a) if a.is_null() => compare_list(field, b, &[], out),
        (b, Value::Array(a)) if b.is_null() => compare_list(field, &[], a, out),
        (b, a) => out.push(FieldChange {
            field: field.into(),
            kind: match (empty(b), empty(a)) {
                (true, false) => ChangeKind::Added,
                (false, true) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            },
            before: (!empty(b)).then(|| text(b)),
            after: (!empty(a)).then(|| text(a)),
        }),
    }
}

/// A proposal's fields in the order the form shows them.
const FIELD_ORDER: &[&str] = &[
    "title",
    "short_title",
    "description",
    "language",
    "translations",
    "unit_id",
    "co_sponsor_unit_ids",
    "partners",
    "contact_email",
    "credit_status",
    "category",
    "level",
    "academic_level",
    "audiences",
    "credential_forms",
    "outcomes",
    "skills",
    "workload",
    "components",
    "assessment_types",
    "identity_verification",
    "award_threshold",
    "evidence",
    "awarded_by",
    "prerequisites",
    "delivery_mode",
    "participation_form",
    "stacks_into",
    "rationale",
    "industry_partner",
    "labour_market_evidence",
    "fees",
    "quality_assurance",
    "review_cycle_years",
    "expiry_months",
    "effective_term",
    "sunset_date",
    "attachments",
    "custom_badge",
];

/// The differences from `before` to `after`, in the order the form shows the fields, and the
/// level `rules` give them.
pub fn diff(before: &ProposalContent, after: &ProposalContent, rules: &TriageRules) -> Diff {
    let to_value = |c: &ProposalContent| serde_json::to_value(c).unwrap_or(Value::Null);
    let (b, a) = (to_value(before), to_value(after));
    let mut changes = Vec::new();
    if let (Value::Object(bm), Value::Object(am)) = (&b, &a) {
        // The proposal form's order; a field a later build adds comes after, by name.
        let mut keys: Vec<&str> = FIELD_ORDER
            .iter()
            .copied()
            .filter(|k| bm.contains_key(*k) || am.contains_key(*k))
            .collect();
        let mut rest: Vec<&str> = bm
            .keys()
            .chain(am.keys())
            .map(String::as_str)
            .filter(|k| !FIELD_ORDER.contains(k))
            .collect();
        rest.sort();
        rest.dedup();
        keys.extend(rest);
        for k in keys {
            compare(
                k,
                bm.get(k).unwrap_or(&Value::Null),
                am.get(k).unwrap_or(&Value::Null),
                &mut changes,
            );
        }
    }
    let covers = |list: &[String], field: &str| {
        list.iter().any(|r| {
            field == r
                || field
                    .strip_prefix(r.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let mut fields: Vec<String> = changes.iter().map(|c| c.field.clone()).collect();
    fields.dedup();
    let pick = |list: &[String]| -> Vec<String> {
        fields.iter().filter(|f| covers(list, f)).cloned().collect()
    };
    let (level, deciding) = if changes.is_empty() {
        (None, Vec::new())
    } else if !pick(&rules.new_microcredential).is_empty() {
        (
            Some(ChangeLevel::NewMicrocredential),
            pick(&rules.new_microcredential),
        )
    } else if !pick(&rules.major).is_empty() {
        (Some(ChangeLevel::Major), pick(&rules.major))
    } else {
        (Some(ChangeLevel::Minor), fields.clone())
    };
    Diff {
        changes,
        level,
        deciding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> ProposalContent {
        ProposalContent {
            title: "Applied Robotics".into(),
            description: "Design and build a robot.".into(),
            outcomes: vec![
                "Build a mobile robot.".into(),
                "Program its sensors in Python.".into(),
                "Test it in the field.".into(),
            ],
            workload: crate::proposal::Workload {
                credits: Some(6.0),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn kinds(d: &Diff) -> Vec<(String, ChangeKind)> {
        d.changes
            .iter()
            .map(|c| (c.field.clone(), c.kind))
            .collect()
    }

    #[test]
    fn the_field_order_names_every_field_of_a_proposal() {
        let v = serde_json::to_value(ProposalContent::default()).unwrap_or(Value::Null);
        let keys: Vec<&String> = v
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys.len(), FIELD_ORDER.len());
        for k in keys {
            assert!(
                FIELD_ORDER.contains(&k.as_str()),
                "{k} is missing from FIELD_ORDER"
            );
        }
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let d = diff(&content(), &content(), &TriageRules::default());
        assert!(d.changes.is_empty() && d.level.is_none());
    }

    #[test]
    fn a_description_alone_is_minor() {
        let mut after = content();
        after.description = "Design, build and program a robot.".into();
        after.contact_email = "robots@northfield.edu".into();
        let d = diff(&content(), &after, &TriageRules::default());
        assert_eq!(
            kinds(&d),
            [
                ("description".into(), ChangeKind::Changed),
                ("contact_email".into(), ChangeKind::Added)
            ]
        );
        assert_eq!(d.level, Some(ChangeLevel::Minor));
        assert_eq!(d.deciding, ["description", "contact_email"]);
        assert_eq!(
            d.changes[0].before.as_deref(),
            Some("Design and build a robot.")
        );
    }

    #[test]
    fn outcomes_are_compared_item_by_item_and_make_it_major() {
        let mut after = content();
        after.outcomes = vec![
            // Reordered: unchanged.
            "Test it in the field.".into(),
            "Build a mobile robot.".into(),
            // Reworded.
            "Program its sensors and motors in Python.".into(),
            // New.
            "Present the robot to an industry panel.".into(),
        ];
        after.workload.credits = Some(9.0);
        let d = diff(&content(), &after, &TriageRules::default());
        assert_eq!(
            kinds(&d),
            [
                ("outcomes".into(), ChangeKind::Reworded),
                ("outcomes".into(), ChangeKind::Added),
                ("workload.credits".into(), ChangeKind::Changed),
            ]
        );
        assert_eq!(
            d.changes[0].after.as_deref(),
            Some("Program its sensors and motors in Python.")
        );
        assert_eq!(d.changes[2].before.as_deref(), Some("6.0"));
        assert_eq!(d.level, Some(ChangeLevel::Major));
        assert_eq!(d.deciding, ["outcomes", "workload.credits"]);
    }

    #[test]
    fn an_outcome_replaced_by_an_unlike_one_is_removed_and_added() {
        let mut after = content();
        after.outcomes[2] = "Write a safety case for autonomous operation.".into();
        let d = diff(&content(), &after, &TriageRules::default());
        assert_eq!(
            kinds(&d),
            [
                ("outcomes".into(), ChangeKind::Removed),
                ("outcomes".into(), ChangeKind::Added)
            ]
        );
    }

    #[test]
    fn a_new_title_is_flagged_as_a_new_microcredential_and_the_rules_are_data() {
        let mut after = content();
        after.title = "Autonomous Robotics".into();
        after.outcomes.push("Plan a route.".into());
        let d = diff(&content(), &after, &TriageRules::default());
        assert_eq!(d.level, Some(ChangeLevel::NewMicrocredential));
        assert_eq!(d.deciding, ["title"]);
        // An institution that treats outcomes as minor and titles as nothing special.
        let rules = TriageRules {
            major: vec!["workload".into()],
            new_microcredential: vec![],
        };
        let d = diff(&content(), &after, &rules);
        assert_eq!(d.level, Some(ChangeLevel::Minor));
    }
}
