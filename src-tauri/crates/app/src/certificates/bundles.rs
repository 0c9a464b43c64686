//! What a learner receives: beside an award's files, an `index.html` that works opened from
//! the folder and hosted on the web (relative links, inline style, no script): the badge,
//! the learner's name, what the microcredential certifies, a LinkedIn "Add to profile" link,
//! the downloads, and how anyone can verify it; and `bundle.zip`, every file in one.

use credence_domain::award::Award;
use credence_domain::proposal::ProposalContent;
use credence_domain::xml::escape;

use crate::certificates::url_encode;

/// What every award's page shares: the institution and how it issues.
#[derive(Debug, Clone, Default)]
pub(crate) struct Issuer {
    pub name: String,
    pub linkedin_organization_id: Option<String>,
    pub verify_url: Option<String>,
}

/// The texts of one microcredential version in the language its awards were issued in.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    pub language: String,
    pub title: String,
    pub description: String,
    pub outcomes: Vec<String>,
    pub credits: Option<f64>,
    pub ects: Option<f64>,
    pub hours: Option<f64>,
}

impl Shown {
    pub(crate) fn of(content: &ProposalContent, language: &str) -> Self {
        let localized = content.localized(language);
        Shown {
            language: language.to_string(),
            title: localized.title,
            description: localized.description,
            outcomes: localized.outcomes,
            credits: content.workload.credits,
            ects: content.workload.ects,
            hours: content.workload.hours,
        }
    }
}

/// The web page a credential is verified at, where the institution has one.
pub(crate) fn verification_url(issuer: &Issuer, credential_id: &str) -> Option<String> {
    issuer
        .verify_url
        .as_ref()
        .map(|url| format!("{url}?credential={}", url_encode(credential_id)))
}

/// LinkedIn's "Add to profile" link for a certification: its name, the issuing organization
/// (by id where the institution gave one, else by name), the month it was issued and, where
/// the credential expires, the month it does, the verification page and the credential id.
pub(crate) fn linkedin_url(
    issuer: &Issuer,
    shown: &Shown,
    award: &Award,
    valid_until: Option<&str>,
) -> String {
    let mut url = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}",
        url_encode(&shown.title)
    );
    match &issuer.linkedin_organization_id {
        Some(id) => url.push_str(&format!("&organizationId={}", url_encode(id))),
        None => url.push_str(&format!("&organizationName={}", url_encode(&issuer.name))),
    }
    let year_month = |date: &str| -> Option<(String, u32)> {
        let year = date.get(0..4)?.to_string();
        let month = date.get(5..7)?.parse::<u32>().ok()?;
        Some((year, month))
    };
    if let Some((year, month)) = year_month(&award.issued_at) {
        url.push_str(&format!("&issueYear={year}&issueMonth={month}"));
    }
    if let Some((year, month)) = valid_until.and_then(year_month) {
        url.push_str(&format!("&expirationYear={year}&expirationMonth={month}"));
    }
    if let Some(page) = verification_url(issuer, &award.credential_id) {
        url.push_str(&format!("&certUrl={}", url_encode(&page)));
    }
    url.push_str(&format!("&certId={}", url_encode(&award.credential_id)));
    url
}

/// What each download is, as the page lists it.
fn described(name: &str) -> &'static str {
    match name {
        "certificate.pdf" => "Certificate (PDF, your credential attached inside)",
        "badge.png" => {
            "Badge image with your credential inside (PNG, for badge wallets and backpacks)"
        }
        "badge.svg" => "Badge image with your credential inside (SVG)",
        "credential.json" => "Your credential (Open Badges 3.0, JSON)",
        "bundle.zip" => "Everything on this page in one file (ZIP)",
        _ => "File",
    }
}

/// The learner's page, the credential's expiry (`validUntil`) shown where it has one.
/// `files` are the other files in the folder, which it links to.
pub(crate) fn index_html(
    issuer: &Issuer,
    shown: &Shown,
    award: &Award,
    valid_until: Option<&str>,
    files: &[&str],
) -> String {
    let e = |t: &str| escape(t, true);
    let lang = e(&shown.language);
    let mut html = String::with_capacity(8 * 1024);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!(
        "<title>{} · {}</title>\n",
        e(&shown.title),
        e(&award.learner_name)
    ));
    html.push_str(STYLE);
    html.push_str("</head>\n<body>\n<main>\n<header>\n");
    let badge = ["badge.svg", "badge.png"]
        .into_iter()
        .find(|f| files.contains(f));
    if let Some(badge) = badge {
        html.push_str(&format!(
            "<img class=\"badge\" src=\"{badge}\" width=\"160\" height=\"160\" alt=\"The {} badge\">\n",
            e(&shown.title)
        ));
    }
    html.push_str(&format!("<p class=\"issuer\">{}</p>\n", e(&issuer.name)));
    html.push_str(&format!(
        "<h1 lang=\"{lang}\" dir=\"auto\">{}</h1>\n",
        e(&shown.title)
    ));
    html.push_str(&format!(
        "<p class=\"learner\">Awarded to <strong dir=\"auto\">{}</strong>, completed {}</p>\n",
        e(&award.learner_name),
        e(&award.completed_on)
    ));
    if let Some(until) = valid_until {
        html.push_str(&format!(
            "<p>Valid until {}</p>\n",
            e(until.get(0..10).unwrap_or(until))
        ));
    }
    html.push_str("</header>\n<section>\n<h2>What it certifies</h2>\n");
    if !shown.description.trim().is_empty() {
        html.push_str(&format!(
            "<p lang=\"{lang}\" dir=\"auto\">{}</p>\n",
            e(&shown.description)
        ));
    }
    if !shown.outcomes.is_empty() {
        html.push_str("<p>The learner showed they can:</p>\n");
        html.push_str(&format!("<ul lang=\"{lang}\" dir=\"auto\">\n"));
        for outcome in &shown.outcomes {
            html.push_str(&format!("<li>{}</li>\n", e(outcome)));
        }
        html.push_str("</ul>\n");
    }
    let mut size = Vec::new();
    if let Some(c) = shown.credits {
        size.push(format!("{c} credits"));
    }
    if let Some(e) = shown.ects {
        size.push(format!("{e} ECTS"));
    }
    if let Some(h) = shown.hours {
        size.push(format!("{h} hours of learning"));
    }
    if !size.is_empty() {
        html.push_str(&format!("<p>{}</p>\n", e(&size.join(" · "))));
    }
    html.push_str("</section>\n<section>\n<h2>Share it</h2>\n");
    html.push_str(&format!(
        "<p><a class=\"button\" href=\"{}\" rel=\"noopener\">Add to your LinkedIn profile</a></p>\n",
        e(&linkedin_url(issuer, shown, award, valid_until))
    ));
    html.push_str(
        "<p>Badge wallets and backpacks take the badge image or the credential file below.</p>\n",
    );
    html.push_str("</section>\n<section>\n<h2>Download</h2>\n<ul class=\"files\">\n");
    for name in files {
        html.push_str(&format!(
            "<li><a href=\"{name}\" download>{}</a> <span class=\"name\">{name}</span></li>\n",
            described(name)
        ));
    }
    html.push_str("</ul>\n</section>\n<section>\n<h2>How to verify it</h2>\n");
    html.push_str(&format!(
        "<p>This is an Open Badges 3.0 verifiable credential, signed by {} so that anyone can check it was issued to this learner and has not been changed.</p>\n",
        e(&issuer.name)
    ));
    match verification_url(issuer, &award.credential_id) {
        Some(page) => html.push_str(&format!(
            "<p><a href=\"{}\">Verify it on {}'s page</a>, or give the credential file or the badge image to any Open Badges 3.0 verifier.</p>\n",
            e(&page),
            e(&issuer.name)
        )),
        None => html.push_str(
            "<p>Give the credential file or the badge image to any Open Badges 3.0 verifier.</p>\n",
        ),
    }
    html.push_str(&format!(
        "<dl>\n<dt>Credential</dt><dd><code>{}</code></dd>\n<dt>Issuer</dt><dd><code>{}</code></dd>\n</dl>\n",
        e(&award.credential_id),
        e(&award.issuer_did)
    ));
    html.push_str("</section>\n</main>\n</body>\n</html>\n");
    html
}

const STYLE: &str = "<style>
:root { color-scheme: light dark; --ink: #1a1b1e; --soft: #495057; --line: #dee2e6; --accent: #0b5cad; --page: #fff; }
@media (prefers-color-scheme: dark) { :root { --ink: #e9ecef; --soft: #ced4da; --line: #373a40; --accent: #74b0f4; --page: #1a1b1e; } }
body { margin: 0; background: var(--page); color: var(--ink); font: 16px/1.5 system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif; }
main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
header { text-align: center; border-bottom: 1px solid var(--line); padding-bottom: 1.5rem; }
.badge { display: block; margin: 0 auto 1rem; }
.issuer { color: var(--soft); margin: 0; }
h1 { font-size: 1.75rem; margin: .25rem 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
a { color: var(--accent); }
.button { display: inline-block; background: #0a66c2; color: #fff; padding: .6rem 1.1rem; border-radius: 4px; text-decoration: none; font-weight: 600; }
.files { padding-left: 1.1rem; }
.name { color: var(--soft); font-size: .85rem; }
code { overflow-wrap: anywhere; font-size: .85rem; }
dt { color: var(--soft); font-size: .85rem; margin-top: .5rem; }
dd { margin: 0; }
</style>
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::exports::zip_stored;

    fn award() -> Award {
        Award {
            id: "a1".into(),
            proposal_id: 1,
            microcredential: "Data & Dashboards".into(),
            version: 1,
            learner_name: "Zoë <script>".into(),
            learner_email: "zoe@example.org".into(),
            completed_on: "2026-11-30".into(),
            credential_id: "urn:uuid:1234".into(),
            issuer_did: "did:key:z6Mk".into(),
            issued_at: "2026-12-02T10:00:00.000Z".into(),
            revoked_at: None,
            revoked_reason: None,
            superseded_by: None,
            supersedes: None,
            valid_until: None,
            renewal_of: None,
            renewed_by: None,
            expired: false,
            by_recognition: false,
            imported: false,
            renewable: false,
        }
    }

    fn shown() -> Shown {
        Shown {
            language: "es".into(),
            title: "Datos & tableros".into(),
            description: "Construye tableros.".into(),
            outcomes: vec!["Elegir un gráfico".into()],
            credits: Some(3.0),
            ects: None,
            hours: None,
        }
    }

    #[test]
    fn the_linkedin_link_names_the_certification_organization_months_and_ids() {
        let mut issuer = Issuer {
            name: "Northfield University".into(),
            linkedin_organization_id: Some("90412873".into()),
            verify_url: Some("https://credentials.northfield.edu/verify".into()),
        };
        let url = linkedin_url(&issuer, &shown(), &award(), Some("2028-06-30T23:59:59Z"));
        assert_eq!(
            url,
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Datos%20%26%20tableros&organizationId=90412873&issueYear=2026&issueMonth=12&expirationYear=2028&expirationMonth=6&certUrl=https:%2F%2Fcredentials.northfield.edu%2Fverify%3Fcredential%3Durn:uuid:1234&certId=urn:uuid:1234"
        );
        issuer.linkedin_organization_id = None;
        issuer.verify_url = None;
        let url = linkedin_url(&issuer, &shown(), &award(), None);
        assert!(url.contains(
            "&organizationName=Northfield%20University&issueYear=2026&issueMonth=12&certId="
        ));
        assert!(!url.contains("expiration") && !url.contains("certUrl"));
    }

    #[test]
    fn the_page_escapes_what_people_typed_and_links_only_the_files_there() {
        let issuer = Issuer {
            name: "Northfield University".into(),
            ..Default::default()
        };
        let html = index_html(
            &issuer,
            &shown(),
            &award(),
            None,
            &["credential.json", "badge.png"],
        );
        assert!(html.contains("Zoë &lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("<h1 lang=\"es\" dir=\"auto\">Datos &amp; tableros</h1>"));
        assert!(html.contains("src=\"badge.png\""));
        assert!(html.contains("href=\"credential.json\" download"));
        assert!(!html.contains("certificate.pdf") && !html.contains("Valid until"));
        assert!(html.contains("3 credits"));
    }

    #[test]
    fn the_zip_holds_every_file_unchanged_and_is_the_same_each_time() {
        let files: [(&str, &[u8]); 2] = [("credential.json", b"{}"), ("badge.png", b"\x89PNG")];
        let a = zip_stored(&files).expect("made");
        assert_eq!(a, zip_stored(&files).expect("made"));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).expect("made");
        assert_eq!(archive.len(), 2);
        for (name, bytes) in files {
            let mut entry = archive.by_name(name).expect("in the ZIP");
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            let mut read = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut read).expect("read");
            assert_eq!(read, bytes);
        }
    }
}
