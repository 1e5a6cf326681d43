//! The security figures `evaluation.json` carries beside the verdicts (contract: `security`
//! with `observatory` {`score`, `grade`} and `tls` {`versions`}): what an evaluator compares
//! with MDN HTTP Observatory and testssl.sh. Derived from the observations, so `rejudge`
//! recomputes them.

use serde::{Deserialize, Serialize};

use crate::observation::Observations;

/// The security figures of one evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Security {
    /// The MDN-HTTP-Observatory-compatible score; `None` when the headers were not observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observatory: Option<Observatory>,
    /// The TLS protocol scan; `None` when it did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsVersions>,
}

/// An MDN-HTTP-Observatory-compatible score, with each test's contribution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observatory {
    /// Final score (0 and up; 100 is the start, bonuses above it).
    pub score: i32,
    /// Letter grade (`A+` … `F`).
    pub grade: String,
    /// Each test, in Observatory's order.
    #[serde(default)]
    pub tests: Vec<ObservatoryTest>,
}

/// One Observatory test's outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObservatoryTest {
    /// Observatory's test name (`content-security-policy`, `cookies`, …).
    pub name: String,
    /// Observatory's result code (`csp-implemented-with-unsafe-inline`, …).
    pub result: String,
    /// Whether Observatory counts it as passed.
    pub pass: bool,
    /// What it adds to the score.
    pub score_modifier: i32,
}

/// The TLS protocol versions the server accepted, by real handshakes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TlsVersions {
    /// Accepted versions, oldest first (`["TLSv1.2", "TLSv1.3"]`).
    pub versions: Vec<String>,
}

/// The TLS versions the scan found accepted (`TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`, and
/// `SSLv3`: OpenSSL's and nginx's names, oldest first); `None` when no scan ran.
#[must_use]
pub fn tls_versions(observations: &Observations) -> Option<TlsVersions> {
    observations.tls_scan.as_ref().map(|s| TlsVersions {
        versions: s.accepted_versions(),
    })
}

/// The security figures the observations allow; `None` when there are none.
#[must_use]
pub fn security(observations: &Observations) -> Option<Security> {
    let s = Security {
        observatory: crate::judge::security::observatory::observatory(observations),
        tls: tls_versions(observations),
    };
    (s != Security::default()).then_some(s)
}
