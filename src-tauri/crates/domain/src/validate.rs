//! Field-level checks shared by the entities. Each returns the message to show, or `Ok`.

/// Trims and requires a non-empty value no longer than `max` characters.
pub(crate) fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    optional_text(trimmed, max).map(|v| v.unwrap_or_default())
}

pub(crate) fn optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err("must not contain control characters".into());
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_string()))
}

/// A deliberately plain email check: one `@`, a local part, a dotted domain, no spaces.
/// Deliverability is not knowable offline; this catches typing mistakes.
pub(crate) fn email(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    let invalid = || {
        Err(format!(
            "\"{value}\" is not an email address (expected name@example.edu)"
        ))
    };
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid();
    }
    let Some((local, domain)) = value.split_once('@') else {
        return invalid();
    };
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || !labels_ok {
        return invalid();
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// An absolute `http` or `https` URL with a host.
pub(crate) fn web_url(value: &str) -> Result<String, String> {
    let value = value.trim();
    let parsed = url::Url::parse(value)
        .map_err(|_| format!("\"{value}\" is not a web address (expected https://...)"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!(
            "\"{value}\" is not a web address (expected https://...)"
        ));
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(email(" Ana.Diaz@North.EDU ").unwrap(), "Ana.Diaz@north.edu");
    }

    #[test]
    fn email_refuses_typing_mistakes() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@north.edu",
            "ana@north",
            "ana @north.edu",
            "a@b@c.edu",
            "ana@-x.edu",
            "ana@north..edu",
        ] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn web_url_requires_http_and_a_host() {
        assert!(web_url("https://north.edu").is_ok());
        for bad in [
            "north.edu",
            "ftp://north.edu",
            "javascript:alert(1)",
            "https://",
        ] {
            assert!(web_url(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert!(required_text(&"é".repeat(10), 10).is_ok());
        assert!(required_text(&"é".repeat(11), 10).is_err());
        assert!(required_text("   ", 10).is_err());
        assert!(optional_text("a\u{0007}b", 10).is_err());
    }
}
