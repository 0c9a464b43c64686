//! Badge images of proposals: the design from the taxonomy (domain), rendered to PNG with
//! resvg and the bundled fonts (DejaVu Sans Bold, and the Noto face of any other script a
//! title is written in, added when a badge first needs it; resvg shapes, orders and falls
//! back), so every machine draws the same pixels offline.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use credence_domain::attachment::AttachmentRef;
use credence_domain::badge::{self, BadgeDesign};
use credence_domain::proposal::ProposalContent;
use credence_domain::taxonomy::{BadgeShape, Facet};
use credence_store::{blobs, taxonomy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, ErrorKind, Workspace};

static FONT: &[u8] = credence_pdf::fonts::BOLD;

/// A badge image in both forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BadgePreview {
    /// The design the taxonomy gives (shown even when a custom image replaces it).
    pub design: BadgeDesign,
    /// The uploaded image in use instead of the design, if any.
    pub custom: Option<AttachmentRef>,
    pub svg: Option<String>,
    /// The PNG as a `data:` URL.
    pub png: String,
}

fn font_error(e: credence_pdf::PdfError) -> AppError {
    AppError::new(
        ErrorKind::Internal,
        format!("cannot load a badge font: {e}"),
    )
}

/// The fonts for drawing `svg`: DejaVu Sans Bold and every face its text needs beyond it.
fn fonts(svg: &str) -> Result<Arc<resvg::usvg::fontdb::Database>, AppError> {
    type Faces = (
        Arc<resvg::usvg::fontdb::Database>,
        Vec<credence_pdf::fonts::Face>,
    );
    static DB: OnceLock<std::sync::Mutex<Faces>> = OnceLock::new();
    let db = DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        std::sync::Mutex::new((Arc::new(db), Vec::new()))
    });
    let needed = credence_pdf::shape::fallback_faces(svg).map_err(font_error)?;
    let mut guard = db
        .lock()
        .map_err(|_| AppError::new(ErrorKind::Internal, "the badge fonts are unavailable"))?;
    let (fonts, loaded) = &mut *guard;
    for face in needed {
        if loaded.contains(&face) {
            continue;
        }
        let (bytes, index) = face.data().map_err(font_error)?;
        let source = resvg::usvg::fontdb::Source::Binary(Arc::new(bytes));
        let db = Arc::make_mut(fonts);
        for id in db.load_font_source(source) {
            // Of a collection (Noto Sans CJK), only the face Credence draws with.
            if db.face(id).is_some_and(|f| f.index != index) {
                db.remove_face(id);
            }
        }
        loaded.push(face);
    }
    Ok(fonts.clone())
}

/// The PNGs drawn lately, by the SHA-256 of their SVG and their size: a microcredential's
/// badge is the same image for every award of a version, so issuing a roster (and issuing it
/// again) draws and compresses it once, not once per learner.
struct Drawn {
    entries: std::collections::VecDeque<(DrawnKey, Arc<Vec<u8>>)>,
}

/// The SHA-256 of an SVG and the PNG's side in pixels.
type DrawnKey = ([u8; 32], u32);

/// Few badges are in use at once; an SVG drawn before the last 32 is drawn again.
const DRAWN_KEPT: usize = 32;

fn drawn() -> &'static std::sync::Mutex<Drawn> {
    static DRAWN: OnceLock<std::sync::Mutex<Drawn>> = OnceLock::new();
    DRAWN.get_or_init(|| {
        std::sync::Mutex::new(Drawn {
            entries: std::collections::VecDeque::new(),
        })
    })
}

/// Renders SVG to a square PNG of `size` pixels (the same bytes every time, drawn once).
pub fn render_png(svg: &str, size: u32) -> Result<Vec<u8>, AppError> {
    use sha2::{Digest, Sha256};
    let key: DrawnKey = (Sha256::digest(svg.as_bytes()).into(), size);
    let kept = |d: &Drawn| {
        d.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    };
    if let Some(png) = drawn().lock().ok().and_then(|d| kept(&d)) {
        return Ok(png.as_ref().clone());
    }
    let png = Arc::new(draw_png(svg, size)?);
    if let Ok(mut d) = drawn().lock() {
        if kept(&d).is_none() {
            if d.entries.len() >= DRAWN_KEPT {
                d.entries.pop_front();
            }
            d.entries.push_back((key, png.clone()));
        }
    }
    Ok(png.as_ref().clone())
}

fn draw_png(svg: &str, size: u32) -> Result<Vec<u8>, AppError> {
    let failed = |what: String| {
        AppError::new(
            ErrorKind::Internal,
            format!("cannot draw the badge: {what}"),
        )
    };
    let options = resvg::usvg::Options {
        fontdb: fonts(svg)?,
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| failed(e.to_string()))?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size, size).ok_or_else(|| failed("empty size".into()))?;
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| failed(e.to_string()))
}

impl Workspace {
    /// The stored bytes of a proposal's custom badge, if it has one.
    pub(crate) fn custom_badge_bytes(
        &self,
        c: &ProposalContent,
    ) -> Result<Option<(String, Vec<u8>)>, AppError> {
        let Some(b) = &c.custom_badge else {
            return Ok(None);
        };
        self.read(|conn| Ok(blobs::get(conn, &b.sha256)?))
    }

    /// The badge a proposal would carry, from its category's shape and colour and its level.
    pub fn badge_design(&self, content: &ProposalContent) -> Result<BadgeDesign, AppError> {
        self.read(|c| {
            let category = match content.category.as_deref() {
                Some(code) => taxonomy::term_by_code(c, Facet::Category, code)?,
                None => None,
            };
            let level = match content.level.as_deref() {
                Some(code) => taxonomy::term_by_code(c, Facet::Level, code)?,
                None => None,
            };
            let title = content
                .short_title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| content.title.clone());
            Ok(BadgeDesign {
                shape: category
                    .as_ref()
                    .and_then(|t| t.shape)
                    .unwrap_or(BadgeShape::Circle),
                colour: category
                    .and_then(|t| t.colour)
                    .unwrap_or_else(|| "#1c4e9c".into()),
                level_marks: level.map(|l| l.rank.clamp(0, 8) as u8).unwrap_or(0),
                title,
            })
        })
    }

    /// The badge a proposal carries: its custom image where the proposer uploaded one,
    /// otherwise the design drawn from the taxonomy. The PNG is `size` pixels wide unless
    /// it is an uploaded PNG, which is kept as it is.
    pub fn badge_files(
        &self,
        content: &ProposalContent,
        size: u32,
    ) -> Result<BadgeFiles, AppError> {
        if let Some((media, bytes)) = self.custom_badge_bytes(content)? {
            if media == "image/svg+xml" {
                let svg = String::from_utf8_lossy(&bytes).into_owned();
                let png = render_png(&svg, size)?;
                return Ok(BadgeFiles {
                    svg: Some(svg),
                    png,
                });
            }
            return Ok(BadgeFiles {
                svg: None,
                png: bytes,
            });
        }
        let svg = badge::svg(&self.badge_design(content)?);
        let png = render_png(&svg, size)?;
        Ok(BadgeFiles {
            svg: Some(svg),
            png,
        })
    }

    /// The badge as SVG and PNG (256 pixels), for the preview beside the proposal form.
    pub fn badge_preview(&self, content: &ProposalContent) -> Result<BadgePreview, AppError> {
        let design = self.badge_design(content)?;
        let files = self.badge_files(content, 256)?;
        Ok(BadgePreview {
            design,
            custom: content.custom_badge.clone(),
            png: format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(files.png)
            ),
            svg: files.svg,
        })
    }
}

/// A badge image, ready to write or bake: SVG where the badge is vector (generated or an
/// uploaded SVG), and PNG always.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeFiles {
    pub svg: Option<String>,
    pub png: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_renders_to_a_png_with_ink_where_the_title_is() {
        let design = BadgeDesign {
            shape: BadgeShape::Hexagon,
            colour: "#8a3b9c".into(),
            level_marks: 3,
            title: "Robotics".into(),
        };
        let png = render_png(&badge::svg(&design), 200).unwrap_or_default();
        let img = image::load_from_memory(&png).map(|i| i.to_rgba8());
        let Ok(img) = img else {
            panic!("the PNG does not decode");
        };
        assert_eq!(img.dimensions(), (200, 200));
        // The title is drawn in white on the badge colour: the middle row has white pixels.
        let white = (0..200)
            .filter(|&x| img.get_pixel(x, 95).0[..3] == [255, 255, 255])
            .count();
        assert!(white > 5, "no text drawn ({white} white pixels)");
        // The corners stay transparent (the shape does not fill the square).
        assert_eq!(img.get_pixel(2, 2).0[3], 0);
    }

    #[test]
    fn titles_in_other_scripts_are_drawn_with_their_fonts() {
        let white = |title: &str| {
            let design = BadgeDesign {
                shape: BadgeShape::Circle,
                colour: "#1c4e9c".into(),
                level_marks: 0,
                title: title.into(),
            };
            let png = render_png(&badge::svg(&design), 200).unwrap_or_default();
            let img = image::load_from_memory(&png)
                .map(|i| i.to_rgba8())
                .unwrap_or_default();
            img.pixels()
                .filter(|p| p.0[..3] == [255, 255, 255] && p.0[3] == 255)
                .count()
        };
        let blank = white("");
        // Without its script's font a title draws nothing; with it, white ink.
        for title in [
            "数据可视化",
            "تحليل البيانات",
            "डेटा विश्लेषण",
            "การวิเคราะห์ข้อมูล",
        ] {
            let ink = white(title);
            assert!(
                ink > blank + 50,
                "{title}: {ink} white pixels, {blank} blank"
            );
        }
    }
}
