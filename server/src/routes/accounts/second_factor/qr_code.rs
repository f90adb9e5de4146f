//! The QR code of an enrolment's `otpauth://` URI, drawn on the server as an SVG image: the browser bundle
//! carries no QR encoder, and the page shows it as it shows any other image.
//!
//! Medium error correction (a phone camera still reads a screen with glare or a smudge), the standard
//! quiet zone of four modules, black modules on white (some scanners cannot read inverted codes). One SVG
//! unit per module keeps the image small; the page scales it, and the renderer's
//! `shape-rendering="crispEdges"` keeps the modules sharp and without seams between neighbours.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::error::{Error, Result};

/// `uri` as a QR code: an SVG image in a `data:image/svg+xml;base64,…` URI, for an `<img>`.
pub(super) fn svg_data_uri(uri: &str) -> Result<String> {
    // Only a text past a version 40 code's capacity (2,331 bytes at this level) is refused; an otpauth
    // URI is under 200.
    let code = QrCode::with_error_correction_level(uri, EcLevel::M)
        .map_err(|e| Error::Internal(anyhow::anyhow!("the QR code of an otpauth URI: {e}")))?;
    let svg = code
        .render::<svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    Ok(format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use domain::accounts::totp;
    use qrcode::{EcLevel, QrCode, Version};
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};

    use super::svg_data_uri;

    /// Light modules around the code on every side (ISO/IEC 18004).
    const QUIET_ZONE: usize = 4;

    /// How many bytes a code of each version from 1 holds at medium error correction in byte mode
    /// (ISO/IEC 18004, table 7): the most any text needs, whichever modes the encoder picks.
    const BYTES_AT_M: [usize; 10] = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];

    /// A test secret: 160 bits, as enrolment draws them.
    const SECRET: [u8; 20] = *b"12345678901234567890";

    /// What an SVG of a QR code draws, read back from its XML.
    #[derive(Debug)]
    struct Drawing {
        /// The view box's width and height, in modules, the quiet zone included.
        size: usize,
        /// The fill of the rectangle under the code, which covers the whole view box.
        background: String,
        /// The fill of the path that draws the dark modules.
        ink: String,
        /// The dark modules, by column and row of the view box.
        dark: Vec<(usize, usize)>,
    }

    /// Reads the SVG inside `data_uri` as XML, failing on anything not well-formed: an `<svg>` root with
    /// a square view box, a `<rect>` over all of it, and one `<path>` of unit squares, one per module.
    fn read(data_uri: &str) -> Drawing {
        let base64 = data_uri
            .strip_prefix("data:image/svg+xml;base64,")
            .expect("an SVG data URI");
        let svg = String::from_utf8(STANDARD.decode(base64).expect("base64")).expect("UTF-8");
        let mut reader = quick_xml::Reader::from_str(&svg);
        let (mut depth, mut roots) = (0usize, 0usize);
        let (mut size, mut background, mut ink, mut dark) = (None, None, None, Vec::new());
        loop {
            let event = reader
                .read_event()
                .unwrap_or_else(|e| panic!("not well-formed at byte {}: {e}", reader.error_position()));
            let element = match event {
                Event::Start(element) => {
                    depth += 1;
                    element
                }
                Event::Empty(element) => element,
                Event::End(_) => {
                    depth -= 1;
                    continue;
                }
                Event::Eof => break,
                Event::Decl(_) => continue,
                other => panic!("unexpected in the SVG: {other:?}"),
            };
            let attributes = attributes(&element);
            match element.name().as_ref() {
                "svg" => {
                    roots += 1;
                    assert_eq!(depth, 1, "the root element");
                    assert_eq!(attributes["xmlns"], "http://www.w3.org/2000/svg");
                    assert_eq!(attributes["shape-rendering"], "crispEdges");
                    let view_box: Vec<usize> = numbers(&attributes["viewBox"]);
                    let [0, 0, width, height] = view_box[..] else {
                        panic!("view box {view_box:?}");
                    };
                    assert_eq!(width, height, "a square");
                    size = Some(width);
                }
                "rect" => {
                    let area = ["x", "y", "width", "height"].map(|a| attributes[a].parse::<usize>().unwrap());
                    assert_eq!(
                        Some(area),
                        size.map(|s| [0, 0, s, s]),
                        "the background covers the image"
                    );
                    background = Some(attributes["fill"].clone());
                }
                "path" => {
                    ink = Some(attributes["fill"].clone());
                    dark = squares(&attributes["d"]);
                }
                other => panic!("unexpected element {other}"),
            }
        }
        assert_eq!((depth, roots), (0, 1), "one root element, closed");
        Drawing {
            size: size.expect("a view box"),
            background: background.expect("a background"),
            ink: ink.expect("a path of dark modules"),
            dark,
        }
    }

    fn attributes(element: &BytesStart<'_>) -> HashMap<String, String> {
        element
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute, not repeated");
                let value = a
                    .normalized_value(XmlVersion::Explicit1_0)
                    .expect("an attribute value");
                (a.key.as_ref().to_owned(), value.into_owned())
            })
            .collect()
    }

    fn numbers(text: &str) -> Vec<usize> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect()
    }

    /// The unit squares of a path written as `M{x} {y}h1v1H{x}V{y}` each.
    fn squares(path: &str) -> Vec<(usize, usize)> {
        path.split('M')
            .filter(|s| !s.is_empty())
            .map(|square| {
                let commands: String = square.chars().filter(char::is_ascii_alphabetic).collect();
                assert_eq!(commands, "hvHV", "a closed square: {square}");
                let [x, y, width, height, back_x, back_y] = numbers(square)[..] else {
                    panic!("a square: {square}");
                };
                assert_eq!(
                    (width, height, back_x, back_y),
                    (1, 1, x, y),
                    "one module: {square}"
                );
                (x, y)
            })
            .collect()
    }

    /// The drawing as a camera would see it, `scale` pixels a module, read by a QR decoder: the version,
    /// the error correction level (0 is medium) and the text.
    fn decode(drawing: &Drawing, scale: usize) -> (usize, u16, String) {
        let side = drawing.size * scale;
        let mut pixels = vec![255u8; side * side];
        for &(x, y) in &drawing.dark {
            for row in y * scale..(y + 1) * scale {
                pixels[row * side + x * scale..row * side + (x + 1) * scale].fill(0);
            }
        }
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        let (meta, text) = grids[0].decode().expect("a readable QR code");
        (meta.version.0, meta.ecc_level, text)
    }

    #[test]
    fn the_qr_code_is_a_black_on_white_svg_that_reads_back_as_the_uri() {
        // The shortest and the longest usernames (3 and 32 characters): codes of version 7 and 8.
        for username in ["abc", "a-local-staff.member_of_hefei-01"] {
            let uri = totp::otpauth_uri(username, &SECRET);
            let qr_code = svg_data_uri(&uri).unwrap();
            let drawing = read(&qr_code);

            assert_eq!(
                (drawing.background.as_str(), drawing.ink.as_str()),
                ("#fff", "#000")
            );
            let modules = drawing.size - 2 * QUIET_ZONE;
            let quiet = |at: usize| at < QUIET_ZONE || at >= QUIET_ZONE + modules;
            assert!(
                !drawing.dark.iter().any(|&(x, y)| quiet(x) || quiet(y)),
                "nothing drawn in the quiet zone"
            );

            let (version, level, text) = decode(&drawing, 4);
            assert_eq!(text, uri);
            assert_eq!(level, 0, "medium error correction");
            assert_eq!(modules, 17 + 4 * version, "the grid of version {version}");
            // The smallest version that holds the URI: no larger than byte mode alone needs, and the
            // version below is too small even with the encoder's mix of modes.
            let byte_mode = BYTES_AT_M.iter().position(|&n| n >= uri.len()).unwrap() + 1;
            assert!(version <= byte_mode, "version {version} for {} bytes", uri.len());
            let smaller = Version::Normal(i16::try_from(version).unwrap() - 1);
            assert!(QrCode::with_version(&uri, smaller, EcLevel::M).is_err());
            assert!(
                qr_code.len() < 32 * 1024,
                "sent with the secret: {} bytes",
                qr_code.len()
            );
        }
    }
}
