//! Evidence probe: copies the files a scenario names into the output's `evidence/` folder,
//! recording size and SHA-256, and passes attestations through.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::checklist::check::FileKind;
use crate::error::Error;
use crate::observation::{Attestation, EvidenceFile};
use crate::scenario::Scenario;

/// Copies every evidence file into `out/evidence/` and describes it.
pub fn collect(
    scenario: &Scenario,
    out: &Path,
) -> Result<(Vec<EvidenceFile>, Vec<Attestation>), Error> {
    let mut files = Vec::new();
    if !scenario.evidence.is_empty() {
        fs_err::create_dir_all(out.join("evidence"))?;
    }
    for (id, path) in &scenario.evidence {
        let bytes = fs_err::read(path)?;
        let original = path
            .file_name()
            .map_or_else(|| "evidence".into(), |n| n.to_string_lossy().to_string());
        let stored_as = format!("evidence/{id}-{original}");
        fs_err::write(out.join(&stored_as), &bytes)?;
        let digest = Sha256::digest(&bytes);
        files.push(EvidenceFile {
            requirement: id.clone(),
            original,
            stored_as,
            bytes: bytes.len() as u64,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    let attestations = scenario
        .attestations
        .iter()
        .map(|(id, a)| Attestation {
            requirement: id.clone(),
            statement: a.statement.clone(),
            by: a.by.clone(),
            date: a.date.clone(),
        })
        .collect();
    Ok((files, attestations))
}

/// What kind of file `bytes` hold, from their first bytes (the name only tells zip-based
/// office documents from other archives). `None` for an empty or unrecognised file.
pub fn sniff(bytes: &[u8], name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let starts = |m: &[u8]| bytes.starts_with(m);
    if bytes.is_empty() {
        None
    } else if starts(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if starts(b"\x89PNG\r\n\x1a\n")
        || starts(b"\xff\xd8\xff")
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || (starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
    {
        Some(FileKind::Image)
    } else if starts(b"PK\x03\x04") {
        let office = [".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"];
        Some(if office.iter().any(|e| lower.ends_with(e)) {
            FileKind::Office
        } else {
            FileKind::Archive
        })
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Some(FileKind::Office)
    } else {
        // Text: UTF-8 without NUL in the first 64 KiB (a cut multi-byte character at the
        // end is allowed).
        let head = &bytes[..bytes.len().min(65_536)];
        let valid = match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
        (valid && !head.contains(&0)).then_some(FileKind::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "x.pdf"), Some(FileKind::Pdf));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", "x.pdf"),
            Some(FileKind::Image)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....", "bao-cao.docx"),
            Some(FileKind::Office)
        );
        assert_eq!(sniff(b"PK\x03\x04....", "anh.zip"), Some(FileKind::Archive));
        assert_eq!(
            sniff("Mã,Tên thủ tục\n".as_bytes(), "a.csv"),
            Some(FileKind::Text)
        );
        assert_eq!(sniff(b"\x00\x01\x02\xff", "a.bin"), None);
        assert_eq!(sniff(b"", "empty.pdf"), None);
    }
}
