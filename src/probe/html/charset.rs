//! Decoding an HTML body: the `Content-Type` charset, else the `<meta charset>` /
//! `http-equiv` declaration in the first bytes, else a byte-order mark, else UTF-8. Legacy
//! Vietnamese charsets (windows-1258 decodes to combining marks) are decoded with
//! `encoding_rs`; extraction then composes every text to NFC.

use encoding_rs::{Encoding, UTF_8};

/// How many leading bytes are searched for a `<meta>` declaration (the HTML standard's
/// pre-scan looks at 1024; some themes put long comments first).
const SNIFF_BYTES: usize = 4096;

/// The `charset` parameter of a `Content-Type` value.
pub fn from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes()))
            .flatten()
    })
}

/// The charset a `<meta charset>` or `<meta http-equiv=content-type>` declares near the start.
pub fn sniff_meta(body: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&body[..body.len().min(SNIFF_BYTES)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset") {
            let value = tag[j + 7..].trim_start();
            let Some(value) = value.strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            let end = value
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '/' | '>'))
                .unwrap_or(value.len());
            if let Some(e) = Encoding::for_label(&value.as_bytes()[..end]) {
                return Some(e);
            }
        }
    }
    None
}

/// Decodes a body: header charset, else BOM, else `<meta>` declaration, else UTF-8 (invalid
/// bytes replaced). A UTF-16 declaration inside the bytes themselves cannot be right, so it
/// reads as UTF-8, as browsers do.
pub fn decode(content_type: Option<&str>, body: &[u8]) -> String {
    let declared = content_type.and_then(from_content_type).or_else(|| {
        Encoding::for_bom(body)
            .map(|(e, _)| e)
            .or_else(|| sniff_meta(body))
    });
    let encoding = match declared {
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
            if Encoding::for_bom(body).is_some() {
                e
            } else {
                UTF_8
            }
        }
        Some(e) => e,
        // Nothing declared: UTF-8 when the bytes are UTF-8, else what a browser would guess
        // (a Vietnamese page in windows-1258 without a charset is still read by Firefox).
        None if std::str::from_utf8(body).is_ok() => UTF_8,
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(body, true);
            detector.guess(Some(b"vn"), chardetng::Utf8Detection::Deny)
        }
    };
    encoding.decode(body).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_charset_wins_then_meta_then_utf8() {
        assert_eq!(
            from_content_type("text/html; Charset=\"windows-1258\""),
            Some(encoding_rs::WINDOWS_1258)
        );
        assert_eq!(from_content_type("text/html"), None);
        let meta = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">";
        assert_eq!(sniff_meta(meta), Some(encoding_rs::WINDOWS_1258));
        assert_eq!(sniff_meta(b"<meta charset='utf-8'>"), Some(UTF_8));
        assert_eq!(sniff_meta(b"<meta name=x content=y>"), None);
    }

    #[test]
    fn an_undeclared_legacy_page_is_detected_not_garbled() {
        // "Ủy ban nhân dân tỉnh Mẫu" and more, in windows-1258, with no charset anywhere.
        let text = "Ủy ban nhân dân tỉnh Mẫu. Cổng Dịch vụ công: thủ tục hành chính, tra cứu hồ sơ, \
                    thống kê tình hình giải quyết hồ sơ, hướng dẫn người dân thực hiện.";
        // windows-1258 holds base letters (ô, ư) precomposed and tone marks as combining ones.
        let split: String = text
            .chars()
            .flat_map(|c| {
                use unicode_normalization::UnicodeNormalization;
                let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
                let d: String = c.nfd().collect();
                let base: String = d.chars().filter(|x| !tones.contains(x)).nfc().collect();
                let marks: String = d.chars().filter(|x| tones.contains(x)).collect();
                format!("{base}{marks}").chars().collect::<Vec<_>>()
            })
            .collect();
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
        assert!(!unmappable);
        let body = [b"<html><body><p>".as_slice(), &bytes, b"</p></body></html>"].concat();
        let decoded = crate::unicode::nfc(&decode(None, &body));
        assert!(decoded.contains(text), "{decoded}");
        // UTF-8 stays UTF-8.
        let utf8 = format!("<p>{text}</p>");
        assert!(decode(None, utf8.as_bytes()).contains(text));
    }

    #[test]
    fn windows_1258_page_decodes_to_text_that_composes() {
        // "Thống kê" in windows-1258: ô (0xF4) + combining acute (0xEC), ê (0xEA).
        let body = b"<meta charset=windows-1258><p>Th\xf4\xecng k\xea</p>";
        let text = decode(Some("text/html"), body);
        assert!(text.contains("Tho\u{302}\u{301}ng") || text.contains("Th\u{f4}\u{301}ng"));
        assert!(crate::unicode::nfc(&text).contains("Thống kê"));
        // The header's charset overrides the meta declaration.
        assert_eq!(
            decode(Some("text/html; charset=utf-8"), "Thống".as_bytes()),
            "Thống"
        );
        assert_eq!(decode(None, "Trang chủ".as_bytes()), "Trang chủ");
    }
}
