//! Vietnamese text as it arrives from real portals: composed (NFC) or decomposed ("Unicode tổ
//! hợp", NFD, and what windows-1258 decodes to), tone marks placed old-style (`hoá`, `Uỷ`) or
//! new-style (`hóa`, `Ủy`). Probes store every text in NFC; judges that match a synonym list or
//! a name compare [`fold`]ed forms, so none of those differences decides a verdict.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The text in Unicode Normalization Form C (composed), which is what every stored observation
/// holds.
pub fn nfc(s: &str) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// The matching key of a text: decomposed, combining marks dropped, `đ` → `d`, lower case,
/// whitespace collapsed. `Thống kê`, `THÔNG KÊ`, `Thô\u{301}ng kê` and `thong ke` all fold to
/// `thong ke`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The five Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A comparison key that keeps every letter and mark but not where the tone mark sits: lower
/// case, whitespace collapsed, and in each word the tone mark moved after the word's letters.
/// `Uỷ ban` and `Ủy ban`, `hoá` and `hóa`, and their decomposed forms share a key; `hóa` and
/// `họa` (another tone) do not.
pub fn tone_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut letters = String::new();
        let mut tones = String::new();
        for c in word.nfd() {
            if TONES.contains(&c) {
                tones.push(c);
            } else {
                letters.extend(c.to_lowercase());
            }
        }
        out.extend(letters.nfc());
        out.push_str(&tones);
    }
    out
}

/// Whether `needle` occurs in `haystack` as whole words, whatever the case, the Unicode form
/// and the tone-mark placement. A needle written with Vietnamese marks must match them
/// ([`tone_key`]: `sơ đồ` is not `sổ đỏ`); a needle written without marks (`thong ke`,
/// `online`) matches with or without them ([`fold`]). An empty needle never matches.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    let (h, n) = if needle.is_ascii() {
        (fold(haystack), fold(needle))
    } else {
        (tone_key(haystack), tone_key(needle))
    };
    !n.is_empty() && contains_words(&h, &n)
}

/// Whether `needle` occurs in `haystack` starting and ending at word boundaries.
fn contains_words(haystack: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let first = needle.chars().next();
    let last = needle.chars().next_back();
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        // A boundary is only needed where the needle itself starts or ends with a letter.
        (!word(first) || !word(before)) && (!word(last) || !word(after))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSED: &str = "Thống kê hồ sơ — Ủy ban nhân dân";
    const DECOMPOSED: &str = "Tho\u{302}\u{301}ng ke\u{302} ho\u{302}\u{300} so\u{31b} — U\u{309}y ban nha\u{302}n da\u{302}n";

    #[test]
    fn decomposed_text_composes_to_its_twin() {
        assert_ne!(COMPOSED, DECOMPOSED);
        assert_eq!(nfc(DECOMPOSED), COMPOSED);
        assert_eq!(nfc(COMPOSED), COMPOSED);
    }

    #[test]
    fn folding_ignores_case_marks_form_and_tone_placement() {
        assert_eq!(fold(COMPOSED), fold(DECOMPOSED));
        assert_eq!(fold("  Đăng   KÝ "), "dang ky");
        assert!(contains_folded("Chuyển đổi số: số hoá", "SỐ HÓA"));
        assert!(contains_folded(DECOMPOSED, "ủy ban nhân dân"));
        assert!(contains_folded(
            "UỶ BAN NHÂN DÂN TỈNH MẪU",
            "Ủy ban nhân dân tỉnh Mẫu"
        ));
        assert!(!contains_folded("Trang chủ", ""));
        assert!(!contains_folded("Tra cứu", "thống kê"));
    }

    #[test]
    fn marked_needles_keep_their_marks_and_words_stay_whole() {
        assert!(!contains_folded("Cấp sổ đỏ cho hộ gia đình", "sơ đồ"));
        assert!(contains_folded("Sơ đồ cổng", "sơ đồ"));
        assert!(
            contains_folded("So do cong", "so do"),
            "an unmarked needle folds"
        );
        assert!(contains_folded("Sơ đồ cổng", "so do"));
        assert!(
            !contains_folded("Hồ sơ đồng bộ", "sơ đồ"),
            "not across words"
        );
        assert!(!contains_folded("statistics", "statistic"));
        assert!(contains_folded("Thống kê: 12 hồ sơ", "thống kê"));
        assert!(contains_folded("đúng hạn (%)", "đúng hạn (%)"));
    }

    #[test]
    fn tone_keys_ignore_placement_and_form_but_not_the_tone() {
        assert_eq!(tone_key("Uỷ ban nhân dân"), tone_key("Ủy ban nhân dân"));
        assert_eq!(tone_key("Hoá đơn"), tone_key("hóa đơn"));
        assert_eq!(tone_key(&nfc(DECOMPOSED)), tone_key(DECOMPOSED));
        assert_eq!(tone_key("thuỷ  lợi"), tone_key("THỦY lợi"));
        assert_ne!(tone_key("hóa"), tone_key("họa"));
        assert_ne!(tone_key("hóa"), tone_key("hoa"));
    }
}
