//! The public catalog: a static website of the institution's microcredentials, to publish at
//! the issuing base URL. An index with search and filters (category, level, credit, unit)
//! that works without a script too, a page per microcredential (what it certifies, outcomes,
//! workload, assessment, prerequisites, stacking, skills, the badge), the pathways drawn as
//! graphs, and every version's Open Badges 3.0 `Achievement` as JSON at the URL the
//! credentials name (`achievements/SLUG/vN`, and `vN.json` beside it; `vN-LANG` for each
//! other language the microcredential is given in, each page too: `SLUG.LANG.html`). Active
//! microcredentials are listed, those in teach-out too (marked so); suspended ones are not
//! listed while paused, retired ones leave the index; every version ever awarded keeps its
//! achievement JSON, because issued badges still point there. No external requests: styles,
//! script and images are files of the site.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use credence_domain::language;
use credence_domain::proposal::ProposalContent;
use credence_domain::taxonomy::{Facet, PathwayPart, StackRule};
use credence_domain::xml::escape;
use credence_domain::Id;
use credence_store::issuing as store;
use credence_store::{institution, taxonomy, units};
use serde::Serialize;

use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogReport {
    /// The folder written.
    pub dir: String,
    /// Microcredentials on the index (teach-out included).
    pub listed: u32,
    /// Of those, in teach-out.
    pub teach_out: u32,
    /// Achievement documents written (one per version ever in effect, in each of its languages).
    pub achievements: u32,
    /// Files written in all.
    pub files: u32,
}

/// The catalog website: its files and what it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: Vec<SiteFile>,
    /// Microcredentials on the index (teach-out included).
    pub listed: u32,
    /// Of those, in teach-out.
    pub teach_out: u32,
    /// Achievement documents (one per version ever in effect, in each of its languages).
    pub achievements: u32,
}

/// One file of the site: its path relative to the site's root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A microcredential as the catalog shows it.
struct Entry {
    proposal_id: Id,
    slug: String,
    version: i64,
    teach_out_until: Option<String>,
    teach_out: bool,
    /// The texts in their main language; `languages` lists it first, then the others.
    content: ProposalContent,
    languages: Vec<String>,
    category: Option<String>,
    level: Option<String>,
    unit: Option<String>,
    skills: Vec<String>,
}

const STYLE: &str = include_str!("website/style.css");
const SCRIPT: &str = include_str!("website/catalog.js");

fn e(text: &str) -> String {
    escape(text, true)
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// "6 credits · 150 hours · 6 ECTS", or "Non-credit · 20 hours".
fn workload(c: &ProposalContent) -> String {
    let mut parts = Vec::new();
    match c.workload.credits {
        Some(credits) => parts.push(format!("{} credits", number(credits))),
        None => parts.push("Non-credit".into()),
    }
    if let Some(h) = c.workload.hours {
        parts.push(format!("{} hours", number(h)));
    }
    if let Some(ects) = c.workload.ects {
        parts.push(format!("{} ECTS", number(ects)));
    }
    parts.join(" · ")
}

/// The credit filter's bucket.
fn credit_band(c: &ProposalContent) -> &'static str {
    match c.workload.credits {
        None => "Non-credit",
        Some(x) if x < 6.0 => "Under 6 credits",
        Some(x) if x <= 12.0 => "6 to 12 credits",
        Some(_) => "Over 12 credits",
    }
}

fn page(title: &str, root: &str, institution: &str, main: &str) -> String {
    format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><p class="institution"><a href="{root}index.html">{institution}</a></p><p class="tagline">Microcredentials catalog</p></header>
<main id="main">
{main}
</main>
<footer class="site"><p>Published by {institution} with Credence. Each microcredential's Open Badges 3.0 achievement is linked from its page.</p></footer>
</body>
</html>
"##,
        title = e(title),
        institution = e(institution),
    )
}

/// The badge image in one of the microcredential's languages (its title is drawn on it).
fn badge_path(x: &Entry, lang: &str) -> String {
    match page_name(x, lang).strip_suffix(".html") {
        Some(stem) => format!("badges/{stem}.png"),
        None => format!("badges/{}.png", x.slug),
    }
}

/// A microcredential's page in one of its languages, relative to `credentials/`: the main
/// language's is `SLUG.html`, each other's `SLUG.LANG.html`.
fn page_name(x: &Entry, lang: &str) -> String {
    if x.languages.first().is_some_and(|l| l == lang) {
        format!("{}.html", x.slug)
    } else {
        format!("{}.{lang}.html", x.slug)
    }
}

/// `lang` and, for a right-to-left language, `dir` attributes for text in `lang`.
fn lang_attrs(lang: &str) -> String {
    let dir = if language::is_rtl(lang) {
        r#" dir="rtl""#
    } else {
        ""
    };
    format!(r#" lang="{}"{dir}"#, e(lang))
}

/// Links to a microcredential's page in its other languages: on a card (`current` is
/// `None`) "Also in: Español"; on a page, every language with the current one marked.
fn language_links(x: &Entry, current: Option<&str>, prefix: &str) -> String {
    if x.languages.len() < 2 {
        return String::new();
    }
    let mut out = String::new();
    let shown = x.languages.iter().filter(|l| {
        current.is_some() || Some(l.as_str()) != x.languages.first().map(String::as_str)
    });
    for l in shown {
        let name = e(&language::native_name(l));
        if current == Some(l.as_str()) {
            let _ = write!(
                out,
                r#"<li><span{} aria-current="page">{name}</span></li>"#,
                lang_attrs(l)
            );
        } else {
            let _ = write!(
                out,
                r#"<li><a href="{prefix}{href}" hreflang="{tag}"{attrs}>{name}</a></li>"#,
                href = e(&page_name(x, l)),
                tag = e(l),
                attrs = lang_attrs(l),
            );
        }
    }
    let label = if current.is_some() {
        "Languages"
    } else {
        "Also in"
    };
    format!(r#"<div class="languages"><span>{label}:</span> <ul>{out}</ul></div>"#)
}

/// "Category · Level · 6 credits · 150 hours · Unit".
fn facts(x: &Entry) -> String {
    [
        x.category.clone(),
        x.level.clone(),
        Some(workload(&x.content)),
        x.unit.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The teach-out notice, or nothing.
fn status(x: &Entry) -> String {
    if !x.teach_out {
        return String::new();
    }
    format!(
        r#"<p class="status">Teach-out: no new enrolments{}.</p>"#,
        x.teach_out_until
            .as_deref()
            .map(|d| format!("; enrolled learners may complete until {}", e(d)))
            .unwrap_or_default()
    )
}

fn card(x: &Entry) -> String {
    let c = &x.content;
    let mut search = format!(
        "{} {} {} {}",
        c.title,
        c.description,
        c.outcomes.join(" "),
        x.skills.join(" ")
    );
    for t in &c.translations {
        let _ = write!(
            search,
            " {} {} {}",
            t.title,
            t.description,
            t.outcomes.join(" ")
        );
    }
    let search = search.to_lowercase();
    let main_lang = c.primary_language();
    format!(
        r#"<li class="card" data-search="{search}" data-category="{category}" data-level="{level}" data-credit="{credit}" data-unit="{unit}">
<img src="{badge}" alt="" width="72" height="72">
<div><h3{attrs}><a href="credentials/{slug}.html">{title}</a></h3>
<p class="facts">{facts}</p>{status}
<p{attrs}>{summary}</p>{languages}</div>
</li>"#,
        attrs = lang_attrs(main_lang),
        languages = language_links(x, None, "credentials/"),
        search = e(&search),
        category = e(x.category.as_deref().unwrap_or("")),
        level = e(x.level.as_deref().unwrap_or("")),
        credit = credit_band(c),
        unit = e(x.unit.as_deref().unwrap_or("")),
        badge = badge_path(x, main_lang),
        slug = e(&x.slug),
        title = e(&c.title),
        facts = e(&facts(x)),
        status = status(x),
        summary = e(&summary(&c.description)),
    )
}

/// The first sentence or 200 characters of a description.
fn summary(text: &str) -> String {
    let first = text.split_inclusive(". ").next().unwrap_or(text).trim();
    if first.chars().count() > 200 {
        let cut: String = first.chars().take(199).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_string()
    }
}

fn select(id: &str, label: &str, values: &[String]) -> String {
    let mut options = String::from(r#"<option value="">All</option>"#);
    for v in values {
        let _ = write!(options, r#"<option>{}</option>"#, e(v));
    }
    format!(
        r#"<div class="field"><label for="{id}">{label}</label><select id="{id}" data-filter="{id}">{options}</select></div>"#
    )
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

/// A pathway drawn as a graph: its parts in a column, each joined to the pathway.
fn pathway_svg(name: &str, rule: &StackRule, parts: &[(String, Option<String>)]) -> String {
    let row = 44.0;
    let h = (parts.len().max(1) as f64) * row + 16.0;
    let target_y = h / 2.0;
    let mut svg = format!(
        r##"<svg class="graph" viewBox="0 0 640 {h}" role="img" aria-labelledby="g-{id}"><title id="g-{id}">{title}</title>"##,
        id = e(&name.to_lowercase().replace(' ', "-")),
        title = e(&format!("{name}: {}", rule_words(rule, parts.len()))),
    );
    for (i, (label, href)) in parts.iter().enumerate() {
        let y = 8.0 + i as f64 * row;
        let short: String = label.chars().take(38).collect();
        let text = if short.chars().count() < label.chars().count() {
            format!("{short}…")
        } else {
            short
        };
        let body = format!(
            r##"<rect x="4" y="{y}" width="330" height="32" rx="6" class="part"/><text x="16" y="{ty}">{t}</text>"##,
            ty = y + 21.0,
            t = e(&text)
        );
        match href {
            Some(h) => {
                let _ = write!(svg, r#"<a href="{}">{body}</a>"#, e(h));
            }
            None => svg.push_str(&body),
        }
        let _ = write!(
            svg,
            r#"<path d="M334 {y1} C 400 {y1}, 400 {ty}, 440 {ty}" class="edge"/>"#,
            y1 = y + 16.0,
            ty = target_y
        );
    }
    let _ = write!(
        svg,
        r#"<rect x="440" y="{y}" width="196" height="40" rx="8" class="goal"/><text x="452" y="{ty}" class="goal-text">{t}</text></svg>"#,
        y = target_y - 20.0,
        ty = target_y + 5.0,
        t = e(&name.chars().take(24).collect::<String>())
    );
    svg
}

fn rule_words(rule: &StackRule, n: usize) -> String {
    match rule {
        StackRule::All => format!("complete all {n} of these"),
        StackRule::AtLeast(k) => format!("complete at least {k} of these {n}"),
    }
}

/// A microcredential's page in `lang` (one of its languages). The page's own words are
/// English; the microcredential's texts carry their language.
fn detail(
    x: &Entry,
    lang: &str,
    achievement: &str,
    others: &BTreeMap<Id, (String, String)>,
) -> String {
    let c = &x.content.localized(lang);
    let attrs = lang_attrs(lang);
    let mut main = String::new();
    let _ = write!(
        main,
        r#"<article class="detail"><div class="head"><img src="../{badge}" alt="Badge of {title}" width="160" height="160"><div><h1{attrs}>{title}</h1><p class="facts">{facts}</p>{status}{languages}</div></div>"#,
        badge = badge_path(x, lang),
        title = e(&c.title),
        facts = e(&facts(x)),
        status = status(x),
        languages = language_links(x, Some(lang), ""),
    );
    let section = |main: &mut String, heading: &str, body: String| {
        if !body.is_empty() {
            let _ = write!(main, "<section><h2>{}</h2>{body}</section>", e(heading));
        }
    };
    let localized = |items: &[String]| -> String {
        if items.is_empty() {
            return String::new();
        }
        let mut out = format!("<ul{attrs}>");
        for i in items {
            let _ = write!(out, "<li>{}</li>", e(i));
        }
        out.push_str("</ul>");
        out
    };
    let list = |items: &[String]| -> String {
        if items.is_empty() {
            return String::new();
        }
        let mut out = String::from("<ul>");
        for i in items {
            let _ = write!(out, "<li>{}</li>", e(i));
        }
        out.push_str("</ul>");
        out
    };
    section(
        &mut main,
        "What it certifies",
        c.description
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p{attrs}>{}</p>", e(p.trim())))
            .collect(),
    );
    section(&mut main, "Learning outcomes", localized(&c.outcomes));
    let mut work = vec![workload(c)];
    work.extend(c.delivery_mode.clone().map(|d| format!("Delivery: {d}")));
    section(&mut main, "Workload", list(&work));
    let mut assessed = c.assessment_types.clone();
    assessed.extend(
        c.award_threshold
            .clone()
            .map(|t| format!("Awarded when: {t}")),
    );
    section(&mut main, "Assessment", list(&assessed));
    section(
        &mut main,
        "Prerequisites",
        list(
            &c.prerequisites
                .iter()
                .map(|p| p.description.clone())
                .collect::<Vec<_>>(),
        ),
    );
    let stacks: String = c
        .stacks_into
        .iter()
        .filter_map(|id| others.get(id))
        .map(|(slug, title)| format!(r#"<li><a href="{}.html">{}</a></li>"#, e(slug), e(title)))
        .collect();
    if !stacks.is_empty() {
        section(&mut main, "Stacks into", format!("<ul>{stacks}</ul>"));
    }
    section(&mut main, "Skills", list(&x.skills));
    let _ = write!(
        main,
        r#"<section><h2>Verifying a badge</h2><p>Every badge awarded for this microcredential is an Open Badges 3.0 credential signed by the institution. Its achievement (version {v}, in {language}) is published as <a href="../{achievement}">{achievement}</a>.</p></section></article>"#,
        v = x.version,
        language = e(&language::native_name(lang)),
        achievement = e(achievement),
    );
    main
}

impl Workspace {
    /// The catalog website, in memory.
    pub fn catalog_site(&self) -> Result<Site> {
        struct Life {
            proposal_id: Id,
            slug: String,
            status: String,
            teach_out_until: Option<String>,
            unit: Option<String>,
            versions: Vec<(i64, ProposalContent)>,
        }
        let (institution, lives, pathways, labels, skills) = self.read(|c| {
            let inst = institution::get(c)?.ok_or_else(|| {
                AppError::new(ErrorKind::Workspace, "the workspace has no institution")
            })?;
            let mut lives = Vec::new();
            for row in store::lives(c)? {
                let mut versions = Vec::new();
                for (number, _) in store::awards_per_version(c, row.proposal_id)?
                    .into_iter()
                    .chain(crate::lifecycle::in_effect(c, row.proposal_id).map(|(v, _)| (v, 0)))
                {
                    if versions.iter().any(|(n, _)| *n == number) {
                        continue;
                    }
                    if let Some(content) = store::version_content(c, row.proposal_id, number)? {
                        versions.push((number, content));
                    }
                }
                versions.sort_by_key(|(n, _)| *n);
                let unit = match row.unit_id {
                    Some(id) => units::get(c, id)?.map(|u| u.name),
                    None => None,
                };
                lives.push(Life {
                    proposal_id: row.proposal_id,
                    slug: row.slug,
                    status: row.status,
                    teach_out_until: row.teach_out_until,
                    unit,
                    versions,
                });
            }
            let mut labels: BTreeMap<(u8, String), String> = BTreeMap::new();
            for t in taxonomy::terms(c)? {
                let facet = match t.facet {
                    Facet::Category => 0,
                    Facet::Level => 1,
                    _ => continue,
                };
                labels.insert((facet, t.code.clone()), t.label.clone());
            }
            let skills: BTreeMap<String, String> = taxonomy::skills(c)?
                .into_iter()
                .map(|s| (format!("{}:{}", s.framework, s.code), s.name))
                .collect();
            Ok((inst, lives, taxonomy::pathways(c)?, labels, skills))
        })?;
        let mut files = Vec::new();
        let mut achievements = 0;
        let mut entries = Vec::new();
        let mut titles: BTreeMap<Id, (String, String)> = BTreeMap::new();
        for life in &lives {
            // Every version ever in effect keeps its achievement at its id.
            // in each of its languages.
            for (number, content) in &life.versions {
                for lang in content.languages() {
                    let doc = self.published_achievement(
                        life.proposal_id,
                        &life.slug,
                        *number,
                        content,
                        &lang,
                    )?;
                    achievements += 1;
                    let json = serde_json::to_vec_pretty(&doc)
                        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
                    let path = crate::issuing::achievement_path(
                        &life.slug,
                        *number,
                        &lang,
                        content.primary_language(),
                    );
                    for path in [format!("{path}.json"), path] {
                        files.push(SiteFile {
                            path,
                            bytes: json.clone(),
                        });
                    }
                }
            }
            let Some((version, content)) = life.versions.last() else {
                continue;
            };
            titles.insert(life.proposal_id, (life.slug.clone(), content.title.clone()));
            let listed = matches!(life.status.as_str(), "active" | "teach_out");
            if !listed {
                continue;
            }
            let label = |facet: u8, code: &Option<String>| {
                code.as_ref()
                    .and_then(|code| labels.get(&(facet, code.clone())).cloned())
            };
            entries.push(Entry {
                proposal_id: life.proposal_id,
                slug: life.slug.clone(),
                version: *version,
                teach_out: life.status == "teach_out",
                teach_out_until: life.teach_out_until.clone(),
                category: label(0, &content.category),
                level: label(1, &content.level),
                unit: life.unit.clone(),
                skills: content
                    .skills
                    .iter()
                    .map(|s| skills.get(s).cloned().unwrap_or_else(|| s.clone()))
                    .collect(),
                languages: content.languages(),
                content: content.clone(),
            });
        }
        for x in &entries {
            for lang in &x.languages {
                files.push(SiteFile {
                    path: badge_path(x, lang),
                    bytes: self.badge_files(&x.content.localized(lang), 320)?.png,
                });
                let achievement = format!(
                    "{}.json",
                    crate::issuing::achievement_path(
                        &x.slug,
                        x.version,
                        lang,
                        x.content.primary_language()
                    )
                );
                files.push(SiteFile {
                    path: format!("credentials/{}", page_name(x, lang)),
                    bytes: page(
                        &format!("{} · {}", x.content.localized(lang).title, institution.name),
                        "../",
                        &institution.name,
                        &detail(x, lang, &achievement, &titles),
                    )
                    .into_bytes(),
                });
            }
        }
        // The index.
        let mut main = format!(
            r#"<h1>Microcredentials at {name}</h1>
<p class="lead">Short, assessed programs whose completion is shown with a verifiable digital badge.</p>
<form class="filters" role="search" aria-label="Find a microcredential">
<div class="field search"><label for="q">Search</label><input id="q" type="search" data-filter="q" placeholder="Title, outcome or skill"></div>
{category}{level}{credit}{unit}
</form>
<p id="count" class="count" aria-live="polite">{n} microcredentials</p>
<ul class="cards">"#,
            name = e(&institution.name),
            category = select(
                "category",
                "Category",
                &distinct(entries.iter().filter_map(|x| x.category.clone()))
            ),
            level = select(
                "level",
                "Level",
                &distinct(entries.iter().filter_map(|x| x.level.clone()))
            ),
            credit = select(
                "credit",
                "Credit",
                &distinct(entries.iter().map(|x| credit_band(&x.content).to_string()))
            ),
            unit = select(
                "unit",
                "Unit",
                &distinct(entries.iter().filter_map(|x| x.unit.clone()))
            ),
            n = entries.len(),
        );
        for x in &entries {
            main.push_str(&card(x));
        }
        main.push_str("</ul>");
        let listed: std::collections::BTreeSet<Id> =
            entries.iter().map(|x| x.proposal_id).collect();
        let names: BTreeMap<Id, String> = pathways.iter().map(|p| (p.id, p.name.clone())).collect();
        let mut drawn = String::new();
        for p in &pathways {
            let parts: Vec<(String, Option<String>)> = p
                .parts
                .iter()
                .filter_map(|part| match part {
                    PathwayPart::Credential(id) => titles.get(id).map(|(slug, title)| {
                        (
                            title.clone(),
                            listed
                                .contains(id)
                                .then(|| format!("credentials/{slug}.html")),
                        )
                    }),
                    PathwayPart::Pathway(id) => {
                        names.get(id).map(|n| (format!("Pathway: {n}"), None))
                    }
                })
                .collect();
            if parts.is_empty() {
                continue;
            }
            let _ = write!(
                drawn,
                r#"<figure class="pathway"><figcaption><strong>{}</strong>: {}</figcaption>{}<ul class="visually-hidden">{}</ul></figure>"#,
                e(&p.name),
                e(&rule_words(&p.rule, parts.len())),
                pathway_svg(&p.name, &p.rule, &parts),
                parts
                    .iter()
                    .map(|(t, _)| format!("<li>{}</li>", e(t)))
                    .collect::<String>()
            );
        }
        if !drawn.is_empty() {
            let _ = write!(
                main,
                r#"<section class="pathways"><h2>Pathways</h2><p>Microcredentials that stack into a larger award.</p>{drawn}</section>"#
            );
        }
        main.push_str(r#"<script src="catalog.js"></script>"#);
        files.push(SiteFile {
            path: "index.html".into(),
            bytes: page(
                &format!("Microcredentials · {}", institution.name),
                "",
                &institution.name,
                &main,
            )
            .into_bytes(),
        });
        files.push(SiteFile {
            path: "style.css".into(),
            bytes: STYLE.as_bytes().to_vec(),
        });
        files.push(SiteFile {
            path: "catalog.js".into(),
            bytes: SCRIPT.as_bytes().to_vec(),
        });
        Ok(Site {
            files,
            listed: entries.len() as u32,
            teach_out: entries.iter().filter(|x| x.teach_out).count() as u32,
            achievements,
        })
    }

    /// Writes the catalog website into `dir` (created if missing; files of an earlier export
    /// are replaced, each written whole under a temporary name and renamed).
    pub fn export_catalog(&self, dir: &Path) -> Result<CatalogReport> {
        let site = self.catalog_site()?;
        let io = |what: &Path, e: std::io::Error| {
            AppError::field("out", format!("cannot write {}: {e}", what.display()))
        };
        for f in &site.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            crate::kernel::exports::write_whole(&path, &f.bytes).map_err(|e| io(&path, e))?;
        }
        Ok(CatalogReport {
            dir: dir.display().to_string(),
            listed: site.listed,
            teach_out: site.teach_out,
            achievements: site.achievements,
            files: site.files.len() as u32,
        })
    }
}
