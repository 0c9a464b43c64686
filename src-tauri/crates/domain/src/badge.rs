//! Badge images drawn from the taxonomy: the category's shape and colour, the level's marks,
//! and the credential's short title. Pure: the SVG text is a function of the design.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::taxonomy::BadgeShape;

/// The font the title is set in; bundled with the renderer so every machine draws alike.
pub const BADGE_FONT: &str = "DejaVu Sans";

/// What a badge image shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BadgeDesign {
    pub shape: BadgeShape,
    /// `#rrggbb`.
    pub colour: String,
    /// How many level marks (0 when no level is set).
    pub level_marks: u8,
    pub title: String,
}

fn escape(text: &str) -> String {
    crate::xml::escape(text, true)
}

/// Breaks a title into at most three lines of about `width` characters, shortening the last
/// with an ellipsis when it does not fit.
fn lines(title: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in title.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.len() > 3 {
        out.truncate(3);
        out[2].push('…');
    }
    for line in &mut out {
        if line.chars().count() > width + 2 {
            *line = line.chars().take(width).collect::<String>() + "…";
        }
    }
    out
}

/// The outline of a shape in a 400 x 400 box.
fn outline(shape: BadgeShape) -> &'static str {
    match shape {
        BadgeShape::Circle => r#"<circle cx="200" cy="200" r="180"/>"#,
        BadgeShape::Shield => {
            r#"<path d="M200 20 L360 70 L360 200 C360 300 290 355 200 385 C110 355 40 300 40 200 L40 70 Z"/>"#
        }
        BadgeShape::Hexagon => {
            r#"<path d="M200 20 L356 110 L356 290 L200 380 L44 290 L44 110 Z"/>"#
        }
        BadgeShape::Ribbon => {
            r#"<path d="M120 300 L80 390 L130 370 L155 400 L185 320 Z M280 300 L320 390 L270 370 L245 400 L215 320 Z"/><circle cx="200" cy="170" r="150"/>"#
        }
    }
}

/// The badge as SVG, 400 x 400.
pub fn svg(design: &BadgeDesign) -> String {
    let colour = if design.colour.len() == 7 && design.colour.starts_with('#') {
        escape(&design.colour)
    } else {
        "#1c4e9c".to_string()
    };
    let title_lines = lines(&design.title, 14);
    let size = match title_lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
    {
        0..=9 => 40,
        10..=12 => 34,
        _ => 30,
    };
    let centre_y = if design.shape == BadgeShape::Ribbon {
        170
    } else {
        190
    };
    let first_y = centre_y - (title_lines.len() as i32 - 1) * (size + 6) / 2 + size / 3;
    let text: String = title_lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                r##"<text x="200" y="{}" font-family="{BADGE_FONT}" font-weight="bold" font-size="{size}" text-anchor="middle" fill="#ffffff">{}</text>"##,
                first_y + i as i32 * (size + 6),
                escape(l)
            )
        })
        .collect();
    let marks_y = centre_y + 110;
    let marks: String = (0..design.level_marks.min(8))
        .map(|i| {
            let n = design.level_marks.min(8) as i32;
            let x = 200 - (n - 1) * 14 + i as i32 * 28;
            format!(r##"<circle cx="{x}" cy="{marks_y}" r="9" fill="#ffffff"/>"##)
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><title>{}</title><g fill="{colour}" stroke="#ffffff" stroke-width="6">{}</g>{text}{marks}</svg>"##,
        escape(&design.title),
        outline(design.shape)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(title: &str) -> BadgeDesign {
        BadgeDesign {
            shape: BadgeShape::Shield,
            colour: "#1c4e9c".into(),
            level_marks: 2,
            title: title.into(),
        }
    }

    #[test]
    fn the_title_is_escaped_and_the_level_drawn() {
        let s = svg(&design("R&D <Robots>"));
        assert!(s.contains("R&amp;D &lt;Robots&gt;"));
        assert!(!s.contains("<Robots>"));
        assert_eq!(s.matches(r#"r="9""#).count(), 2);
    }

    #[test]
    fn long_titles_wrap_to_three_lines_at_most() {
        let s = svg(&design(
            "Applied Machine Learning for Environmental Monitoring and Sustainable Cities",
        ));
        assert_eq!(s.matches("<text").count(), 3);
        assert!(s.contains('…'));
    }

    #[test]
    fn a_colour_that_is_not_hex_falls_back() {
        let mut d = design("X");
        d.colour = "red\" onload=\"alert(1)".into();
        assert!(!svg(&d).contains("onload"));
    }
}
