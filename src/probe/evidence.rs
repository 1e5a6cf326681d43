//! Evidence probe: copies the files a scenario names into the output's `evidence/` folder,
//! recording size and SHA-256, and passes attestations through.

use std::path::Path;

use sha2::{Digest, Sha256};

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
