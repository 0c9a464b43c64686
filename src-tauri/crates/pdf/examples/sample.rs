//! Writes a sample document to the path given, to look at (`pdftoppm`) and check (`qpdf`).
fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample.pdf".into());
    let mut blocks = vec![
        credence_pdf::Block::Letterhead("Northfield University".into()),
        credence_pdf::Block::Title("Minutes of the Microcredential Committee".into()),
        credence_pdf::Block::Facts(vec![
            ("Date".into(), "20 November 2026".into()),
            (
                "Quorum".into(),
                "5 of 7 voting members present; quorum 4: met".into(),
            ),
        ]),
        credence_pdf::Block::Heading("Motions".into()),
        credence_pdf::Block::Table {
            widths: vec![3.0, 2.0, 1.0, 1.0, 1.0, 1.2],
            header: vec![
                "Motion".into(),
                "Moved / seconded".into(),
                "For".into(),
                "Against".into(),
                "Abstain".into(),
                "Outcome".into(),
            ],
            rows: vec![vec![
                "Approve Applied Robotics with conditions".into(),
                "Voter 2 / Voter 3".into(),
                "3".into(),
                "1".into(),
                "1".into(),
                "Carried".into(),
            ]],
        },
    ];
    for i in 0..60 {
        blocks.push(credence_pdf::Block::Paragraph(format!(
            "Paragraph {i}: Zoë, Ωμέγα, Жанна, Nguyễn Văn Thành."
        )));
    }
    let meta = credence_pdf::Meta {
        title: "Minutes".into(),
        author: "Northfield University".into(),
        subject: "Sample".into(),
        created: 1_795_000_000,
    };
    match credence_pdf::render(&meta, &blocks) {
        Ok(bytes) => std::fs::write(&out, bytes).unwrap_or_else(|e| eprintln!("{out}: {e}")),
        Err(e) => eprintln!("{e}"),
    }
}
