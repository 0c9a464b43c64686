//! Text and JSON renderings of what the commands print.

use credence_app::domain::audit::ChainReport;
use credence_app::domain::institution::Institution;
use credence_app::domain::person::Person;
use credence_app::domain::unit::Unit;
use credence_app::AuditEntry;
use serde::Serialize;

pub(crate) fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => say!("{text}"),
        Err(e) => eprintln!("credence: cannot render JSON: {e}"),
    }
}

/// Prints rows as columns padded to their widest cell.
fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        say!("{}", padded.join("  ").trim_end());
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row);
    }
}

pub fn institution(i: &Institution, as_json: bool) {
    if as_json {
        return json(i);
    }
    say!("name:    {}", i.name);
    say!("country: {} ({})", i.country, i.country_name);
    say!("url:     {}", i.url.as_deref().unwrap_or("-"));
    say!("email:   {}", i.email.as_deref().unwrap_or("-"));
    match &i.logo {
        Some(l) => say!(
            "logo:    {} {}x{}, {} bytes",
            l.mime,
            l.width,
            l.height,
            l.bytes
        ),
        None => say!("logo:    -"),
    }
}

pub fn units(units: &[Unit], as_json: bool) {
    if as_json {
        return json(units);
    }
    let code_of = |id: Option<i64>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.code.clone())
            .unwrap_or_else(|| "-".into())
    };
    let rows = units
        .iter()
        .map(|u| {
            vec![
                u.code.clone(),
                u.name.clone(),
                u.kind.as_str().into(),
                code_of(u.parent_id),
            ]
        })
        .collect();
    table(&["CODE", "NAME", "KIND", "PARENT"], rows);
}

pub fn people(people: &[Person], units: &[Unit], as_json: bool) {
    if as_json {
        return json(people);
    }
    let rows = people
        .iter()
        .map(|p| {
            let unit = p
                .unit_id
                .and_then(|id| units.iter().find(|u| u.id == id))
                .map(|u| u.code.clone())
                .unwrap_or_else(|| "-".into());
            let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
            vec![p.name.clone(), p.email.clone(), unit, roles.join(",")]
        })
        .collect();
    table(&["NAME", "EMAIL", "UNIT", "ROLES"], rows);
}

pub fn audit(entries: &[AuditEntry], as_json: bool) {
    if as_json {
        return json(entries);
    }
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at.clone(),
                e.actor_name.clone(),
                format!("{} {}", e.entity, e.entity_id),
                e.action.clone(),
            ]
        })
        .collect();
    table(&["SEQ", "AT", "ACTOR", "RECORD", "ACTION"], rows);
}

pub fn verdict(v: &ChainReport) {
    match &v.first_broken {
        None => say!("audit log holds: {} entries verified", v.checked),
        Some(b) => say!("audit log broken at entry {}: {}", b.seq, b.reason),
    }
    if let Some(h) = &v.head {
        say!("head: entry {}, hash {}", h.seq, h.hash);
    }
    if v.first_broken.is_none() && (v.entries_signed > 0 || v.unsigned_history > 0) {
        say!(
            "entries signed by who made them: {} verified; {} written before entries were signed",
            v.entries_signed,
            v.unsigned_history
        );
    }
    if !v.key_resets.is_empty() {
        say!("signing keys reset by a coordinator:");
        for r in &v.key_resets {
            say!("  {r}");
        }
    }
    if v.signatures > 0 || !v.statement_problems.is_empty() {
        if v.statement_problems.is_empty() {
            say!(
                "signed statements hold: {} signatures verified",
                v.signatures
            );
        } else {
            say!(
                "signed statements broken: {} of {} do not hold",
                v.statement_problems.len(),
                v.signatures
            );
            for p in &v.statement_problems {
                say!("  {p}");
            }
        }
    }
}

pub fn bench_audit(b: &credence_app::bench::AuditBench, as_json: bool) {
    if as_json {
        return json(b);
    }
    say!(
        "audited changes: {} at {:.0}/s (one transaction each)",
        b.changes,
        b.changes_per_second
    );
    say!(
        "audit verify:    {} entries at {:.0}/s",
        b.entries,
        b.verified_per_second
    );
    say!("workspace file:  {} KB", b.file_bytes / 1024);
}

pub fn bench_seats(b: &credence_app::bench::SeatsBench, as_json: bool) {
    if as_json {
        return json(b);
    }
    say!(
        "{} seats x {} changes at once: {} applied, {} refused, in {:.1} s ({:.0} changes/s)",
        b.seats,
        b.changes_per_seat,
        b.applied,
        b.refused,
        b.seconds,
        b.changes_per_second
    );
    say!("a change:   p50 {:.1} ms  p95 {:.1} ms", b.p50_ms, b.p95_ms);
    if let Some(refusal) = &b.a_refusal {
        say!("refused as: {refusal}");
    }
    say!(
        "afterwards: {} units; the audit log {} ({} entries)",
        b.units,
        if b.audit_holds {
            "holds"
        } else {
            "DOES NOT HOLD"
        },
        b.audit_entries
    );
}

pub fn verification(
    file: &std::path::Path,
    report: &credence_app::issuing::verification::Report,
    verbose: bool,
) {
    use credence_app::issuing::verification::Outcome;
    let first_failure = report.checks.iter().find(|c| c.outcome == Outcome::Fail);
    let unchecked: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Unchecked)
        .map(|c| c.name)
        .collect();
    match first_failure {
        Some(_) if report.only_expired().is_some() => say!(
            "{}: EXPIRED on {}: authentic (signed by its issuer{}), no longer valid",
            file.display(),
            report.only_expired().unwrap_or_default(),
            if unchecked.contains(&"status") {
                "; revocation not checked"
            } else {
                ", not revoked"
            }
        ),
        Some(c) => say!("{}: NOT VERIFIED: {}", file.display(), c.message),
        None if unchecked.is_empty() => say!("{}: verified", file.display()),
        None => say!(
            "{}: verified (not checked: {})",
            file.display(),
            unchecked.join(", ")
        ),
    }
    if verbose {
        for c in &report.checks {
            let mark = match c.outcome {
                Outcome::Pass => "ok",
                Outcome::Fail => "FAIL",
                Outcome::Unchecked => "--",
            };
            say!("  {mark:<4} {:<10} {}", c.name, c.message);
        }
    }
}

pub fn proposals(page: &credence_app::proposals::ProposalPage, as_json: bool) {
    if as_json {
        return json(page);
    }
    let rows = page
        .rows
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.status.label().into(),
                p.version.to_string(),
                p.title.clone(),
                p.category.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(&["ID", "STATUS", "VERSION", "TITLE", "CATEGORY"], rows);
}

pub fn proposal(
    p: &credence_app::proposals::ProposalView,
    check: &credence_app::proposals::ProposalCheck,
    as_json: bool,
) {
    if as_json {
        return json(&serde_json::json!({ "proposal": p, "check": check }));
    }
    say!(
        "proposal {}: {} ({}, version {})",
        p.id,
        p.content.title,
        p.status.label(),
        p.version
    );
    for f in &check.findings {
        let severity = match f.severity {
            credence_app::domain::policy::Severity::Blocking => "blocking",
            credence_app::domain::policy::Severity::Warning => "warning",
        };
        say!("  {severity}: {}: {} ({})", f.field, f.message, f.rule_id);
    }
    for s in &check.similar {
        say!("  similar: proposal {} \"{}\"", s.id, s.title);
    }
}

pub fn attachments(files: &[credence_app::domain::attachment::AttachmentRef], as_json: bool) {
    if as_json {
        return json(files);
    }
    let rows = files
        .iter()
        .map(|a| {
            vec![
                a.sha256[..12].to_string(),
                a.name.clone(),
                a.media_type.clone(),
                credence_app::proposals::attachments::human_size(a.size),
            ]
        })
        .collect();
    table(&["SHA256", "NAME", "TYPE", "SIZE"], rows);
}

pub fn receipt(c: &credence_app::audit::receipts::ReceiptCheck) {
    if c.problems.is_empty() {
        say!(
            "receipt holds: the log still reaches entry {}, as {} saw it",
            c.seq,
            c.signed_by
        );
    } else {
        say!(
            "receipt broken: signed by {} for entry {}",
            c.signed_by,
            c.seq
        );
        for p in &c.problems {
            say!("  {p}");
        }
    }
}

pub fn microcredentials(list: &[credence_app::lifecycle::MicrocredentialSummary], as_json: bool) {
    if as_json {
        return json(list);
    }
    if list.is_empty() {
        say!("No microcredentials yet: a proposal becomes one when its review makes it active.");
        return;
    }
    table(
        &["SLUG", "STATUS", "VERSION", "TITLE"],
        list.iter()
            .map(|m| {
                vec![
                    m.slug.clone(),
                    m.status.key().to_string(),
                    format!("v{}", m.version),
                    m.title.clone(),
                ]
            })
            .collect(),
    );
}

pub fn microcredential(m: &credence_app::lifecycle::MicrocredentialView, as_json: bool) {
    if as_json {
        return json(m);
    }
    say!("{} ({}): {}", m.title, m.slug, m.status.label());
    if let Some(since) = &m.status_since {
        match &m.status_reason {
            Some(reason) => say!("  since {since}: {reason}"),
            None => say!("  since {since}"),
        }
    }
    if let Some(until) = &m.teach_out_until {
        say!("  awards allowed until {until}");
    }
    for v in &m.versions {
        say!(
            "version {}: in effect from {}, approved in case {}; {} award{}",
            v.number,
            v.effective_from,
            v.case,
            v.awards,
            if v.awards == 1 { "" } else { "s" }
        );
    }
    for c in &m.open_cases {
        say!(
            "open: case {} ({}, {})",
            c.id,
            c.kind.label(),
            c.status.label()
        );
    }
    match (&m.next_review_due, m.review_due) {
        (Some(due), true) => say!("periodic review due since {due}"),
        (Some(due), false) => say!("next review due {due}"),
        (None, _) => say!("no review cycle set"),
    }
    if let Some(on) = &m.last_reviewed_on {
        say!("last reviewed {on}");
    }
    let years: Vec<String> = m
        .figures
        .awards_per_year
        .iter()
        .map(|y| format!("{} {}", y.year, y.awards))
        .collect();
    if !years.is_empty() {
        say!("awards per year: {}", years.join(", "));
    }
    for r in &m.figures.revocations {
        say!("revoked {}: {}", r.count, r.reason);
    }
}

/// Things to do, one line each, in the order the window lists them.
pub fn todo(inbox: &credence_app::review::Inbox, as_json: bool) {
    if as_json {
        return json(inbox);
    }
    if inbox.tasks.is_empty() {
        say!("Nothing to do.");
    } else {
        table(
            &["KIND", "PROPOSAL", "TITLE", "WHAT", "DUE"],
            inbox
                .tasks
                .iter()
                .map(|t| {
                    let kind = serde_json::to_value(t.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    vec![
                        kind,
                        t.proposal_id.to_string(),
                        t.title.clone(),
                        t.detail.clone(),
                        match (&t.due_on, t.overdue) {
                            (Some(d), true) => format!("{d} (overdue)"),
                            (Some(d), false) => d.clone(),
                            (None, _) => "-".into(),
                        },
                    ]
                })
                .collect(),
        );
    }
    if !inbox.has_key {
        say!("You have no signing key yet: `credence enrol` with the code you were given.");
    }
}

pub fn review_cycles(list: &[credence_app::lifecycle::ReviewCycle], as_json: bool) {
    if as_json {
        return json(list);
    }
    if list.is_empty() {
        say!("No periodic review to list.");
        return;
    }
    table(
        &["SLUG", "STATUS", "LAST REVIEW", "NEXT DUE", "DUE"],
        list.iter()
            .map(|r| {
                vec![
                    r.slug.clone(),
                    r.status.key().to_string(),
                    r.last_reviewed_on.clone().unwrap_or_else(|| "-".into()),
                    r.next_review_due
                        .clone()
                        .unwrap_or_else(|| "no cycle".into()),
                    if r.due { "yes" } else { "no" }.to_string(),
                ]
            })
            .collect(),
    );
}

pub fn calendar(terms: &[credence_app::domain::calendar::AcademicTerm], as_json: bool) {
    if as_json {
        return json(terms);
    }
    if terms.is_empty() {
        say!("No terms yet: add them with `credence calendar add`.");
        return;
    }
    table(
        &["CODE", "NAME", "FROM", "TO"],
        terms
            .iter()
            .map(|t| {
                vec![
                    t.code.clone(),
                    t.name.clone(),
                    t.starts_on.clone(),
                    t.ends_on.clone(),
                ]
            })
            .collect(),
    );
}

pub fn version_diff(d: &credence_app::proposals::VersionDiff, as_json: bool) {
    use credence_app::domain::diff::ChangeLevel;
    if as_json {
        return json(d);
    }
    let to =
        d.to.map(|t| format!("version {t}"))
            .unwrap_or_else(|| "the draft".into());
    let level = match d.diff.level {
        None => {
            say!(
                "proposal {}: version {} to {to}: no change",
                d.proposal_id,
                d.from
            );
            return;
        }
        Some(ChangeLevel::Minor) => "a minor change",
        Some(ChangeLevel::Major) => "a major change",
        Some(ChangeLevel::NewMicrocredential) => {
            "a new microcredential (propose it as one and retire this)"
        }
    };
    say!(
        "proposal {}: version {} to {to}: {level} ({})",
        d.proposal_id,
        d.from,
        d.diff.deciding.join(", ")
    );
    diff_lines(&d.diff);
}

/// Each change as a redline: the field and what happened, `-` before and `+` after.
pub fn diff_lines(d: &credence_app::domain::diff::Diff) {
    use credence_app::domain::diff::ChangeKind;
    if d.changes.is_empty() {
        say!("no change");
    }
    for c in &d.changes {
        let kind = match c.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Reworded => "reworded",
        };
        say!("{}: {kind}", c.field);
        if let Some(b) = &c.before {
            say!("  - {b}");
        }
        if let Some(a) = &c.after {
            say!("  + {a}");
        }
    }
}

fn level_name(l: Option<credence_app::domain::diff::ChangeLevel>) -> &'static str {
    use credence_app::domain::diff::ChangeLevel;
    match l {
        None => "none yet (nothing changed)",
        Some(ChangeLevel::Minor) => "minor",
        Some(ChangeLevel::Major) => "major",
        Some(ChangeLevel::NewMicrocredential) => {
            "a new microcredential (propose it as one and terminate this one)"
        }
    }
}

pub fn change(c: &credence_app::lifecycle::change::ChangeView, as_json: bool) {
    if as_json {
        return json(c);
    }
    say!(
        "change request {} ({}): {} version {} to version {}",
        c.case_id,
        c.status.label(),
        c.microcredential,
        c.base_version,
        c.next_version
    );
    let rules = level_name(c.diff.level);
    match (c.level_set, &c.level_reason) {
        (Some(_), Some(reason)) => say!(
            "level: {} (set by a coordinator: {reason}; the rules say {rules})",
            level_name(c.level)
        ),
        (Some(_), None) => say!(
            "level: {} (set by a coordinator; the rules say {rules})",
            level_name(c.level)
        ),
        (None, _) => say!("level: {rules}"),
    }
    if let Some(due) = &c.due_on {
        say!("due by {due} (required by the periodic review)");
    }
    if !c.diff.deciding.is_empty() {
        say!("changed: {}", c.diff.deciding.join(", "));
    }
    let or_missing = |s: &str| {
        if s.is_empty() {
            "(not given)".to_string()
        } else {
            s.to_string()
        }
    };
    say!("rationale: {}", or_missing(&c.details.rationale));
    match (&c.details.effective_term, &c.effective_from) {
        (Some(term), Some(from)) => say!("effective term: {term} (from {from})"),
        (Some(term), None) => say!("effective term: {term}"),
        (None, _) => say!("effective term: (not given)"),
    }
    say!("learners told: {}", or_missing(&c.details.learner_notice));
}

pub fn termination(t: &credence_app::lifecycle::termination::TerminationView) {
    say!(
        "termination request {} ({}): {}",
        t.case_id,
        t.status.label(),
        t.microcredential
    );
    say!("reason: {}", t.details.reason);
    if let Some(intake) = &t.details.last_intake_on {
        say!("last intake: {intake}");
    }
    say!(
        "teach-out until {}, retired from the day after",
        t.details.teach_out_until
    );
    let i = &t.impact;
    say!(
        "impact: {} award{} (all stay valid; {} revoked), {} in the last {} days{}",
        i.awards,
        if i.awards == 1 { "" } else { "s" },
        i.revoked,
        i.recent_awards,
        credence_app::lifecycle::termination::RECENT_DAYS,
        i.last_awarded_on
            .as_deref()
            .map(|d| format!(", the last on {d}"))
            .unwrap_or_default()
    );
    if i.pathways.is_empty() {
        say!("impact: in no pathway");
    } else {
        say!("impact: in the pathways {}", i.pathways.join(", "));
    }
    for c in &i.open_cases {
        say!("impact: open {c}");
    }
}

pub fn report(r: &credence_app::documents::reports::Report, as_json: bool) {
    if as_json {
        return json(r);
    }
    say!("Report as of {}", r.on);
    say!(
        "Decided: {}; median days to a decision: {}",
        r.clock.decided,
        r.clock
            .median_days_to_decision
            .map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "-".into())
    );
    for t in r.tables() {
        say!("{}:", t.title);
        if t.rows.is_empty() {
            say!("  none");
        } else {
            let header: Vec<String> = t.headings.iter().map(|h| h.to_uppercase()).collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            table(&header, t.rows);
        }
    }
}
