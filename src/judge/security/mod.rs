//! Security judges (Điều 8 and the security checklist items), one file per family: transport
//! (SEC-1 redirect and certificate), headers (SEC-2 headers), `security_txt` (SEC-9), exposure
//! (SEC-7 leakage, SEC-8 administration paths), exposed (sensitive files, SEC-7/SEC-8), content (SEC-10 mixed content and SRI) and
//! session (SEC-3 cookies). Single sign-on (PL1-1, SSO-1) lives in `judge/sso.rs`.

mod active;
mod content;
mod cors;
mod exposed;
mod exposure;
mod headers;
pub mod observatory;
mod policy;
mod security_txt;
mod session;
mod tls_protocols;
mod transport;

pub use active::{idle_timeout, login_lockout, session_renewed};
pub use content::mixed_content;
pub use cors::cors;
pub use exposed::exposed_files;
pub(crate) use exposure::leak_in;
pub use exposure::{admin_not_public, no_leakage};
pub use headers::headers;
pub use policy::HeaderRules;
pub use security_txt::security_txt;
pub use session::cookie_flags;
pub use tls_protocols::tls_protocols;
pub use transport::{certificate_valid, https_redirect};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(super) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}
