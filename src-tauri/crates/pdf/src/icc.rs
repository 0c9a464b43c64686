//! A small sRGB ICC profile (version 2, matrix and tone curves), built in code so the
//! PDF/A output intent needs no third-party profile file. The primaries are sRGB's,
//! adapted to D50 (Bradford) as ICC requires; the tone curve is sRGB's own, sampled at
//! 1,024 points.

use std::sync::OnceLock;

fn s15f16(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(x: f64, y: f64, z: f64) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in [x, y, z] {
        t.extend(s15f16(v));
    }
    t
}

fn text_description(text: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend((text.len() as u32 + 1).to_be_bytes());
    t.extend(text.as_bytes());
    t.push(0);
    t.extend([0u8; 4 + 4]); // Unicode language code and count
    t.extend([0u8; 2 + 1 + 67]); // ScriptCode code, count and data
    t
}

fn curve() -> Vec<u8> {
    const N: usize = 1024;
    let mut t = b"curv\0\0\0\0".to_vec();
    t.extend((N as u32).to_be_bytes());
    for i in 0..N {
        let v = i as f64 / (N - 1) as f64;
        let linear = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        t.extend(((linear * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

fn build() -> Vec<u8> {
    let curve = curve();
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", text_description("sRGB (Credence)")),
        (b"cprt", {
            let mut t = b"text\0\0\0\0".to_vec();
            t.extend(b"No copyright, use freely\0");
            t
        }),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let table_len = 4 + tags.len() * 12;
    let mut offset = 128 + table_len;
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    for (sig, body) in &tags {
        table.extend(*sig);
        table.extend((offset as u32).to_be_bytes());
        table.extend((body.len() as u32).to_be_bytes());
        data.extend(body);
        while data.len() % 4 != 0 {
            data.push(0);
        }
        offset = 128 + table_len + data.len();
    }
    let size = 128 + table_len + data.len();
    let mut header = Vec::with_capacity(128);
    header.extend((size as u32).to_be_bytes());
    header.extend([0u8; 4]); // preferred CMM
    header.extend([2, 0x10, 0, 0]); // version 2.1
    header.extend(b"mntrRGB XYZ ");
    header.extend([0x07, 0xea, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]); // 2026-01-01
    header.extend(b"acsp");
    header.extend([0u8; 4 + 4 + 4 + 4 + 8 + 4]); // platform, flags, maker, model, attributes, intent
    header.extend(s15f16(0.9642));
    header.extend(s15f16(1.0));
    header.extend(s15f16(0.8249));
    header.resize(128, 0);
    let mut out = header;
    out.extend(table);
    out.extend(data);
    out
}

/// The profile's bytes (built once).
pub fn srgb() -> &'static [u8] {
    static PROFILE: OnceLock<Vec<u8>> = OnceLock::new();
    PROFILE.get_or_init(build)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_profile_is_well_formed() {
        let p = super::srgb();
        assert_eq!(
            u32::from_be_bytes([p[0], p[1], p[2], p[3]]) as usize,
            p.len()
        );
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[12..20], b"mntrRGB ");
        let count = u32::from_be_bytes([p[128], p[129], p[130], p[131]]) as usize;
        assert_eq!(count, 9);
        for i in 0..count {
            let at = 132 + i * 12;
            let off = u32::from_be_bytes([p[at + 4], p[at + 5], p[at + 6], p[at + 7]]) as usize;
            let len = u32::from_be_bytes([p[at + 8], p[at + 9], p[at + 10], p[at + 11]]) as usize;
            assert!(off.is_multiple_of(4) && off + len <= p.len());
        }
    }
}
