//! Security judges (Điều 8 and the security checklist items), one file per family: transport
//! (SEC-1 redirect and certificate), headers (SEC-2 headers, SEC-9 security.txt), exposure
//! (SEC-7 leakage, SEC-8 administration paths), content (SEC-10 mixed content and SRI) and
//! session (SEC-3 cookies). Single sign-on (PL1-1, SSO-1) lives in `judge/sso.rs`.

mod content;
mod exposure;
mod headers;
mod session;
mod tls_protocols;
mod transport;

pub use content::mixed_content;
pub(crate) use exposure::leak_in;
pub use exposure::{admin_not_public, no_leakage};
pub use headers::{headers, security_txt};
pub use session::cookie_flags;
pub use tls_protocols::tls_protocols;
pub use transport::{certificate_valid, https_redirect};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(super) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}
