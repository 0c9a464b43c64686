//! The RDF dataset of a [`Credential`], built straight from the typed struct.
//!
//! The general path (JSON-LD expansion with oxjsonld) spends about 1.2 ms per credential
//! processing the same three contexts again; canonicalizing the resulting ~60 quads takes
//! microseconds. Every Credence credential has the same shape, so this module writes the quads
//! that JSON-LD would produce for that shape, term by term, with the IRIs and datatypes the
//! bundled contexts give. It answers `None` for anything outside that shape (another context
//! list, other types, an id that is not an absolute IRI, a number JSON-LD would write in
//! another form), and callers then take the general path. The tests compare both paths on
//! every optional part of the credential.

use std::borrow::Cow;
use std::fmt::Write as _;

use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::{BlankNode, Dataset, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad};
use sha2::{Digest, Sha256};

use crate::credential::{contexts, Credential, Image};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const CRED: &str = "https://www.w3.org/2018/credentials#";
const OB: &str = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
const SCHEMA: &str = "https://schema.org/";
const STATUS: &str = "https://www.w3.org/ns/credentials/status#";
const SEC: &str = "https://w3id.org/security#";
/// The VC 2.0 context's XML Schema namespace.
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// The OB 3.0.3 context writes its datatypes with `https`.
const OB_XSD: &str = "https://www.w3.org/2001/XMLSchema#";
const XSD_DATE_TIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";
const EU_XSD_FLOAT: &str = "http://www.w3.org/2001/XMLSchema#float";
const SCHEMA_VALIDATOR: &str =
    "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019";

/// A term of the credential's graph, borrowing the credential's own strings (the badge
/// image's `data:` IRI is tens of kilobytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Term<'a> {
    Iri(Cow<'a, str>),
    /// A blank node, by the number it was made with.
    Blank(usize),
    /// A literal: its value and, unless it is a plain string, its datatype.
    Literal(Cow<'a, str>, Option<Cow<'a, str>>),
}

type Node<'a> = Term<'a>;

struct Graph<'a> {
    quads: Vec<(Term<'a>, Cow<'a, str>, Term<'a>)>,
    blanks: usize,
}

impl<'a> Graph<'a> {
    fn blank(&mut self) -> Node<'a> {
        self.blanks += 1;
        Term::Blank(self.blanks)
    }

    fn add(&mut self, s: &Node<'a>, p: impl Into<Cow<'a, str>>, o: Term<'a>) {
        self.quads.push((s.clone(), p.into(), o));
    }

    fn text(&mut self, s: &Node<'a>, p: impl Into<Cow<'a, str>>, value: &'a str) {
        self.add(s, p, Term::Literal(value.into(), None));
    }

    fn typed(
        &mut self,
        s: &Node<'a>,
        p: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
        datatype: impl Into<Cow<'a, str>>,
    ) {
        self.add(s, p, Term::Literal(value.into(), Some(datatype.into())));
    }

    fn kind(&mut self, s: &Node<'a>, iri: impl Into<Cow<'a, str>>) {
        self.add(s, RDF_TYPE, Term::Iri(iri.into()));
    }

    fn node(&mut self, id: Option<&'a str>) -> Option<Node<'a>> {
        match id {
            Some(id) => iri(id),
            None => Some(self.blank()),
        }
    }

    fn image(&mut self, s: &Node<'a>, image: &'a Image) -> Option<()> {
        if image.kind != "Image" {
            return None;
        }
        let node = iri(&image.id)?;
        self.kind(&node, format!("{OB}Image"));
        self.add(s, format!("{OB}image"), node);
        Some(())
    }
}

fn node_term<'a>(node: &Node<'a>) -> Term<'a> {
    node.clone()
}

/// Writes `term` in N-Quads, a blank node as `blank` names it: as oxrdf's `Display` writes
/// IRIs and literals (a literal typed `xsd:string` as a plain one), without its formatter (a
/// quarter of signing went to formatting these terms one character at a time).
fn write_term(out: &mut String, term: &Term<'_>, blank: &dyn Fn(&mut String, usize)) {
    match term {
        Term::Iri(iri) => write_iri(out, iri),
        Term::Blank(n) => blank(out, *n),
        Term::Literal(value, datatype) => {
            write_quoted(out, value);
            if let Some(datatype) = datatype.as_deref().filter(|d| *d != XSD_STRING) {
                out.push_str("^^");
                write_iri(out, datatype);
            }
        }
    }
}

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

fn write_iri(out: &mut String, iri: &str) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

/// A string literal quoted as N-Quads (and oxrdf's `print_quoted_str`) quotes it.
fn write_quoted(out: &mut String, value: &str) {
    out.push('"');
    let mut from = 0;
    for (at, ch) in value.char_indices() {
        let escaped = match ch {
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{C}' => "\\f",
            '\r' => "\\r",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => "",
            _ => continue,
        };
        out.push_str(&value[from..at]);
        from = at + ch.len_utf8();
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04X}", u32::from(ch));
        } else {
            out.push_str(escaped);
        }
    }
    out.push_str(&value[from..]);
    out.push('"');
}

/// The length `write_term` gives a term, give or take a blank node's name.
fn term_len(term: &Term<'_>) -> usize {
    match term {
        Term::Iri(iri) => iri.len() + 2,
        Term::Blank(_) => 12,
        Term::Literal(value, datatype) => {
            value.len() + 4 + datatype.as_ref().map_or(0, |d| d.len() + 4)
        }
    }
}

fn write_quad(
    out: &mut String,
    (s, p, o): &(Term<'_>, Cow<'_, str>, Term<'_>),
    blank: &dyn Fn(&mut String, usize),
) {
    out.reserve(term_len(s) + p.len() + term_len(o) + 8);
    write_term(out, s, blank);
    out.push(' ');
    write_iri(out, p);
    out.push(' ');
    write_term(out, o, blank);
    out.push_str(" .\n");
}

fn mentions(quad: &(Term<'_>, Cow<'_, str>, Term<'_>), node: usize) -> bool {
    quad.0 == Term::Blank(node) || quad.2 == Term::Blank(node)
}

/// An absolute IRI, as JSON-LD would keep it; `None` for anything it would resolve or drop.
fn iri(value: &str) -> Option<Term<'_>> {
    if value.starts_with("_:") || !value.contains(':') {
        return None;
    }
    // The badge image is a `data:` IRI of tens of kilobytes, the same in every credential of
    // a roster: the last long one found valid is kept, so it is parsed once, not per learner.
    const LONG: usize = 1024;
    thread_local! {
        static LAST_LONG: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if value.len() < LONG {
        NamedNodeRef::new(value).ok()?;
        return Some(Term::Iri(value.into()));
    }
    if !LAST_LONG.with(|last| *last.borrow() == value) {
        NamedNodeRef::new(value).ok()?;
        LAST_LONG.with(|last| value.clone_into(&mut last.borrow_mut()));
    }
    Some(Term::Iri(value.into()))
}

/// A JSON number as JSON-LD writes it in RDF: integers (no fractional part) as they are,
/// others in the canonical xsd:double form (`6.5E0`, `1.0E-1`). `None` where serde_json's own
/// writing of the number could be read differently.
fn number(value: f64) -> Option<String> {
    if !value.is_finite() || !(0.0..1e15).contains(&value) {
        return None;
    }
    if value.fract() == 0.0 {
        // Lossless: the value is a non-negative integer below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        return Some((value as u64).to_string());
    }
    let text = format!("{value:E}");
    let (mantissa, exponent) = text.split_once('E')?;
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    Some(format!("{mantissa}E{exponent}"))
}

fn exactly(types: &[String], expected: &[&str]) -> bool {
    types.len() == expected.len() && types.iter().zip(expected).all(|(a, b)| a == b)
}

/// The dataset of the credential (without proof), or `None` when it is outside the shape
/// this module writes.
fn graph(c: &Credential) -> Option<Graph<'_>> {
    let eu = if c.context == contexts(false) {
        false
    } else if c.context == contexts(true) {
        true
    } else {
        return None;
    };
    let mut g = Graph {
        quads: Vec::with_capacity(96),
        blanks: 0,
    };
    let ob = |term: &str| format!("{OB}{term}");
    let sc = |term: &str| format!("{SCHEMA}{term}");
    let cred = |term: &str| format!("{CRED}{term}");

    // The credential.
    if !exactly(&c.types, &["VerifiableCredential", "OpenBadgeCredential"]) {
        return None;
    }
    let vc: Node = iri(&c.id)?;
    g.kind(&vc, cred("VerifiableCredential"));
    g.kind(&vc, ob("OpenBadgeCredential"));
    g.text(&vc, sc("name"), &c.name);
    if let Some(d) = &c.description {
        g.text(&vc, sc("description"), d);
    }
    g.typed(&vc, cred("validFrom"), &c.valid_from, XSD_DATE_TIME);
    if let Some(until) = &c.valid_until {
        g.typed(&vc, cred("validUntil"), until, XSD_DATE_TIME);
    }

    // The issuer.
    let p = &c.issuer;
    if !exactly(&p.types, &["Profile"]) {
        return None;
    }
    let issuer: Node = iri(&p.id)?;
    g.add(&vc, cred("issuer"), node_term(&issuer));
    g.kind(&issuer, ob("Profile"));
    g.text(&issuer, sc("name"), &p.name);
    if let Some(url) = &p.url {
        g.typed(&issuer, sc("url"), url, format!("{OB_XSD}anyURI"));
    }
    if let Some(email) = &p.email {
        g.text(&issuer, sc("email"), email);
    }
    if let Some(image) = &p.image {
        g.image(&issuer, image)?;
    }
    if let Some(a) = &p.address {
        if !exactly(&a.types, &["Address"]) {
            return None;
        }
        let address = g.blank();
        g.add(&issuer, ob("address"), node_term(&address));
        g.kind(&address, ob("Address"));
        g.text(&address, sc("addressCountry"), &a.address_country);
        g.text(&address, ob("CountryCode"), &a.address_country_code);
    }

    // The subject.
    let s = &c.credential_subject;
    if !exactly(&s.types, &["AchievementSubject"]) {
        return None;
    }
    let subject = g.node(s.id.as_deref())?;
    g.add(&vc, cred("credentialSubject"), node_term(&subject));
    g.kind(&subject, ob("AchievementSubject"));
    for i in &s.identifier {
        if i.kind != "IdentityObject" {
            return None;
        }
        let node = g.blank();
        g.add(&subject, ob("identifier"), node_term(&node));
        g.kind(&node, ob("IdentityObject"));
        g.typed(
            &node,
            ob("hashed"),
            if i.hashed { "true" } else { "false" },
            format!("{OB_XSD}boolean"),
        );
        g.text(&node, ob("identityHash"), &i.identity_hash);
        g.text(&node, ob("identityType"), &i.identity_type);
        if let Some(salt) = &i.salt {
            g.text(&node, ob("salt"), salt);
        }
    }
    for r in &s.result {
        if !exactly(&r.types, &["Result"]) {
            return None;
        }
        let node = g.blank();
        g.add(&subject, ob("result"), node_term(&node));
        g.kind(&node, ob("Result"));
        g.text(&node, sc("value"), &r.value);
    }
    if let Some(credits) = s.credits_earned {
        g.typed(
            &subject,
            ob("creditsEarned"),
            number(credits)?,
            format!("{OB_XSD}float"),
        );
    }
    if let Some(date) = &s.activity_end_date {
        g.typed(
            &subject,
            ob("activityEndDate"),
            date,
            format!("{OB_XSD}date"),
        );
    }

    // The achievement.
    let a = &s.achievement;
    if !exactly(&a.types, &["Achievement"]) {
        return None;
    }
    let achievement: Node = iri(&a.id)?;
    g.add(&subject, ob("achievement"), node_term(&achievement));
    g.kind(&achievement, ob("Achievement"));
    g.text(&achievement, ob("achievementType"), &a.achievement_type);
    g.text(&achievement, sc("name"), &a.name);
    g.text(&achievement, sc("description"), &a.description);
    let criteria = g.blank();
    g.add(&achievement, ob("Criteria"), node_term(&criteria));
    g.text(&criteria, ob("narrative"), &a.criteria.narrative);
    if let Some(image) = &a.image {
        g.image(&achievement, image)?;
    }
    for al in &a.alignment {
        if !exactly(&al.types, &["Alignment"]) {
            return None;
        }
        let node = g.blank();
        g.add(&achievement, ob("alignment"), node_term(&node));
        g.kind(&node, sc("AlignmentObject"));
        g.text(&node, sc("targetName"), &al.target_name);
        g.typed(
            &node,
            sc("targetUrl"),
            &al.target_url,
            format!("{OB_XSD}anyURI"),
        );
        if let Some(d) = &al.target_description {
            g.text(&node, sc("targetDescription"), d);
        }
        if let Some(f) = &al.target_framework {
            g.text(&node, sc("targetFramework"), f);
        }
        if let Some(code) = &al.target_code {
            g.text(&node, ob("targetCode"), code);
        }
    }
    if let Some(credits) = a.credits_available {
        g.typed(
            &achievement,
            ob("creditsAvailable"),
            number(credits)?,
            format!("{OB_XSD}float"),
        );
    }
    if let Some(f) = &a.field_of_study {
        g.text(&achievement, ob("fieldOfStudy"), f);
    }
    if let Some(l) = &a.in_language {
        g.text(&achievement, sc("inLanguage"), l);
    }
    if let Some(v) = &a.version {
        g.text(&achievement, ob("version"), v);
    }
    for r in &a.related {
        if !exactly(&r.types, &["Related"]) {
            return None;
        }
        let node: Node = iri(&r.id)?;
        g.add(&achievement, ob("related"), node_term(&node));
        g.kind(&node, ob("Related"));
        if let Some(l) = &r.in_language {
            g.text(&node, sc("inLanguage"), l);
        }
        if let Some(v) = &r.version {
            g.text(&node, ob("version"), v);
        }
    }
    let eu_fields = !a.eu_learning_outcome.is_empty()
        || a.eu_workload_hours.is_some()
        || a.eu_ects_credits.is_some()
        || a.eu_qualification_level.is_some()
        || !a.eu_assessment_type.is_empty()
        || a.eu_participation_form.is_some()
        || a.eu_quality_assurance.is_some();
    if eu_fields && !eu {
        // Without the EU context these terms are undefined and JSON-LD would drop them.
        return None;
    }
    let euv = |term: &str| format!("{}{term}", crate::credential::EU_VOCAB);
    for o in &a.eu_learning_outcome {
        g.text(&achievement, euv("learningOutcome"), o);
    }
    if let Some(h) = a.eu_workload_hours {
        g.typed(&achievement, euv("workloadHours"), number(h)?, EU_XSD_FLOAT);
    }
    if let Some(e) = a.eu_ects_credits {
        g.typed(&achievement, euv("ectsCredits"), number(e)?, EU_XSD_FLOAT);
    }
    if let Some(l) = &a.eu_qualification_level {
        g.text(&achievement, euv("qualificationLevel"), l);
    }
    for t in &a.eu_assessment_type {
        g.text(&achievement, euv("assessmentType"), t);
    }
    if let Some(f) = &a.eu_participation_form {
        g.text(&achievement, euv("participationForm"), f);
    }
    if let Some(q) = &a.eu_quality_assurance {
        g.text(&achievement, euv("qualityAssurance"), q);
    }

    // Evidence, schema, status.
    for e in &c.evidence {
        if !exactly(&e.types, &["Evidence"]) {
            return None;
        }
        let node = g.node(e.id.as_deref())?;
        g.add(&vc, cred("evidence"), node_term(&node));
        g.kind(&node, ob("Evidence"));
        if let Some(n) = &e.name {
            g.text(&node, sc("name"), n);
        }
        if let Some(genre) = &e.genre {
            g.text(&node, sc("genre"), genre);
        }
        if let Some(n) = &e.narrative {
            g.text(&node, ob("narrative"), n);
        }
    }
    for schema in &c.credential_schema {
        if schema.kind != "1EdTechJsonSchemaValidator2019" {
            return None;
        }
        let node: Node = iri(&schema.id)?;
        g.add(&vc, cred("credentialSchema"), node_term(&node));
        g.kind(&node, SCHEMA_VALIDATOR);
    }
    if let Some(st) = &c.credential_status {
        if st.kind != "BitstringStatusListEntry" {
            return None;
        }
        let node: Node = iri(&st.id)?;
        g.add(&vc, cred("credentialStatus"), node_term(&node));
        g.kind(&node, format!("{STATUS}BitstringStatusListEntry"));
        g.text(&node, format!("{STATUS}statusPurpose"), &st.status_purpose);
        g.text(
            &node,
            format!("{STATUS}statusListIndex"),
            &st.status_list_index,
        );
        g.add(
            &node,
            format!("{STATUS}statusListCredential"),
            iri(&st.status_list_credential)?,
        );
    }
    Some(g)
}

type Statement<'a> = (Term<'a>, Cow<'a, str>, Term<'a>);

/// RDFC-1.0 where every blank node's first-degree hash is its own (the algorithm's step 5
/// names them all, in the order of their hashes, and its later steps have nothing to do):
/// each blank node's statements written with it as `_:a` and any other as `_:z`, sorted,
/// hashed; then every statement with the canonical names, sorted. `None` where two blank
/// nodes hash alike, for the whole algorithm to tell them apart.
fn canonical_simple(quads: &[Statement<'_>]) -> Option<Vec<String>> {
    let mut blanks: Vec<usize> = quads
        .iter()
        .flat_map(|(s, _, o)| [s, o])
        .filter_map(|t| match t {
            Term::Blank(n) => Some(*n),
            _ => None,
        })
        .collect();
    blanks.sort_unstable();
    blanks.dedup();
    let mut hashed: Vec<([u8; 32], usize)> = Vec::with_capacity(blanks.len());
    for &b in &blanks {
        let mut lines: Vec<String> = quads
            .iter()
            .filter(|q| mentions(q, b))
            .map(|q| {
                let mut line = String::new();
                write_quad(&mut line, q, &|out, n| {
                    out.push_str(if n == b { "_:a" } else { "_:z" });
                });
                line
            })
            .collect();
        lines.sort_unstable();
        hashed.push((first_degree_hash(lines), b));
    }
    // Hex digests order as their bytes do.
    hashed.sort_unstable();
    if hashed.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let mut labels = vec![0usize; blanks.last().map_or(0, |n| n + 1)];
    for (label, (_, b)) in hashed.iter().enumerate() {
        labels[*b] = label;
    }
    let mut lines: Vec<String> = quads
        .iter()
        .map(|q| {
            let mut line = String::new();
            write_quad(&mut line, q, &|out, n| {
                let _ = write!(out, "_:c14n{}", labels[n]);
            });
            line
        })
        .collect();
    lines.sort_unstable();
    Some(lines)
}

/// A blank node's first-degree hash: the SHA-256 of its sorted statements. A batch's
/// credentials share their achievement, whose statements hold the badge image's `data:` IRI
/// (kilobytes), so long statement lists are kept per thread with their hash: comparing them
/// is a fraction of hashing them again.
fn first_degree_hash(lines: Vec<String>) -> [u8; 32] {
    let hash = |lines: &[String]| -> [u8; 32] {
        let mut hash = Sha256::new();
        for line in lines {
            hash.update(line.as_bytes());
        }
        hash.finalize().into()
    };
    if lines.iter().map(String::len).sum::<usize>() < KEPT_FIRST_LINE {
        return hash(&lines);
    }
    BLANK_HASHES.with_borrow_mut(|kept| {
        if let Some((_, digest)) = kept.iter().find(|(known, _)| *known == lines) {
            return *digest;
        }
        let digest = hash(&lines);
        if kept.len() == KEPT_BLANK_NODES {
            kept.remove(0);
        }
        kept.push((lines, digest));
        digest
    })
}

/// Long statement lists [`first_degree_hash`] keeps per thread.
const KEPT_BLANK_NODES: usize = 4;

thread_local! {
    /// The last long statement lists of blank nodes hashed on this thread, with their hash.
    static BLANK_HASHES: std::cell::RefCell<Vec<(Vec<String>, [u8; 32])>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The statements as an oxrdf dataset, blank node `n` named `bn`.
fn dataset(quads: &[Statement<'_>]) -> Option<Dataset> {
    let mut dataset = Dataset::new();
    for (s, p, o) in quads {
        let subject: oxrdf::NamedOrBlankNode = match s {
            Term::Iri(iri) => NamedNode::new_unchecked(iri.as_ref()).into(),
            Term::Blank(n) => BlankNode::new_unchecked(format!("b{n}")).into(),
            Term::Literal(..) => return None,
        };
        let object: oxrdf::Term = match o {
            Term::Iri(iri) => NamedNode::new_unchecked(iri.as_ref()).into(),
            Term::Blank(n) => BlankNode::new_unchecked(format!("b{n}")).into(),
            Term::Literal(value, None) => Literal::new_simple_literal(value.as_ref()).into(),
            Term::Literal(value, Some(datatype)) => Literal::new_typed_literal(
                value.as_ref(),
                NamedNode::new_unchecked(datatype.as_ref()),
            )
            .into(),
        };
        dataset.insert(&Quad::new(
            subject,
            NamedNode::new_unchecked(p.as_ref()),
            object,
            GraphNameRef::DefaultGraph,
        ));
    }
    Some(dataset)
}

/// RDFC-1.0 in whole (oxrdf's), for blank nodes only their neighbours tell apart.
fn canonical(mut dataset: Dataset) -> String {
    dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = dataset.iter().map(|q| format!("{q} .\n")).collect();
    lines.sort_unstable();
    lines.concat()
}

/// The RDFC-1.0 canonical N-Quads of the credential, or `None` outside Credence's shape.
pub fn credential_nquads(c: &Credential) -> Option<String> {
    Some(match canonical_of(c)? {
        Canonical::Lines(lines) => lines.concat(),
        Canonical::Text(text) => text,
    })
}

/// The SHA-256 of [`credential_nquads`], as eddsa-rdfc-2022 hashes the document: the
/// lines hashed in their order without being joined. A batch's credentials share their
/// first line (the badge image's `data:` IRI sorts first: about 9 KB, a third of the
/// text), so the hash state after it is kept per thread and taken up again when the next
/// credential's first line is the same.
pub fn credential_nquads_digest(c: &Credential) -> Option<[u8; 32]> {
    let lines = match canonical_of(c)? {
        Canonical::Lines(lines) => lines,
        Canonical::Text(text) => return Some(Sha256::digest(text.as_bytes()).into()),
    };
    let Some((first, rest)) = lines.split_first() else {
        return Some(Sha256::digest(b"").into());
    };
    let mut hash = after_first_line(first);
    for line in rest {
        hash.update(line.as_bytes());
    }
    Some(hash.finalize().into())
}

/// A first line shorter than this is hashed again each time.
const KEPT_FIRST_LINE: usize = 1024;

thread_local! {
    /// The last long first line hashed on this thread, and the hash state after it.
    static FIRST_LINE: std::cell::RefCell<Option<(String, Sha256)>> =
        const { std::cell::RefCell::new(None) };
}

/// The hash state after `line`, the first of a document: the kept state where the line is
/// the kept one, which it then becomes where it is long.
fn after_first_line(line: &str) -> Sha256 {
    if line.len() < KEPT_FIRST_LINE {
        return Sha256::new_with_prefix(line.as_bytes());
    }
    FIRST_LINE.with_borrow_mut(|kept| match kept {
        Some((text, state)) if text == line => state.clone(),
        _ => {
            let state = Sha256::new_with_prefix(line.as_bytes());
            *kept = Some((line.to_owned(), state.clone()));
            state
        }
    })
}

/// Canonical N-Quads as sorted lines (the usual case) or, from the general path, as text.
enum Canonical {
    Lines(Vec<String>),
    Text(String),
}

fn canonical_of(c: &Credential) -> Option<Canonical> {
    let mut g = graph(c)?;
    // A dataset holds each statement once.
    g.quads.sort_unstable();
    g.quads.dedup();
    if let Some(lines) = canonical_simple(&g.quads) {
        return Some(Canonical::Lines(lines));
    }
    // A credential of many alike parts takes the general path, which refuses it by name.
    dataset(&g.quads)
        .filter(|d| crate::canon::check_blank_node_work(d).is_ok())
        .map(canonical)
        .map(Canonical::Text)
}

/// The canonical N-Quads of an `eddsa-rdfc-2022` proof configuration read in a Credence
/// credential's context: five statements about one blank node.
pub fn proof_config_nquads(created: &str, verification_method: &str) -> Option<String> {
    let Term::Iri(method) = iri(verification_method)? else {
        return None;
    };
    // A `created` that needs escaping is not a date; let the general path judge it.
    if created
        .chars()
        .any(|ch| ch == '"' || ch == '\\' || ch.is_control())
    {
        return None;
    }
    Some(format!(
        "_:c14n0 <http://purl.org/dc/terms/created> \"{created}\"^^<{XSD}dateTime> .\n\
         _:c14n0 <{RDF_TYPE}> <{SEC}DataIntegrityProof> .\n\
         _:c14n0 <{SEC}cryptosuite> \"eddsa-rdfc-2022\"^^<{SEC}cryptosuiteString> .\n\
         _:c14n0 <{SEC}proofPurpose> <{SEC}assertionMethod> .\n\
         _:c14n0 <{SEC}verificationMethod> <{}> .\n",
        NamedNodeRef::new_unchecked(&method).as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::{number, write_term, Term};

    #[test]
    fn terms_are_written_as_oxrdf_writes_them() {
        use oxrdf::{LiteralRef, NamedNodeRef};
        let tricky =
            "Zoë \"Ångström\"\\ line\nnext\ttab\r\u{8}\u{C}\u{1}\u{7F}\u{FFFE}\u{FFFF} 中文 end";
        let none = |_: &mut String, _: usize| {};
        for datatype in [
            None,
            Some("http://www.w3.org/2001/XMLSchema#string"),
            Some("https://www.w3.org/2001/XMLSchema#date"),
        ] {
            let mut ours = String::new();
            write_term(
                &mut ours,
                &Term::Literal(tricky.into(), datatype.map(Into::into)),
                &none,
            );
            let theirs = match datatype {
                None => LiteralRef::new_simple_literal(tricky).to_string(),
                Some(d) => LiteralRef::new_typed_literal(tricky, NamedNodeRef::new_unchecked(d))
                    .to_string(),
            };
            assert_eq!(ours, theirs);
        }
        let mut ours = String::new();
        write_term(&mut ours, &Term::Iri("urn:uuid:1".into()), &none);
        assert_eq!(ours, NamedNodeRef::new_unchecked("urn:uuid:1").to_string());
    }

    #[test]
    fn numbers_are_written_as_json_ld_writes_them() {
        assert_eq!(number(6.0).as_deref(), Some("6"));
        assert_eq!(number(6.5).as_deref(), Some("6.5E0"));
        assert_eq!(number(150.5).as_deref(), Some("1.505E2"));
        assert_eq!(number(0.1).as_deref(), Some("1.0E-1"));
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(-1.0), None);
    }
}
