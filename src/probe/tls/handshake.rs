//! One full rustls handshake with the portal's HTTPS host through a verifier that records the
//! leaf certificate, the stapled OCSP response and the verification outcome (so an invalid
//! certificate is still described), then closes. No application data is sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::net::TcpStream;
use url::Url;

use crate::observation::{CertFacts, TlsFacts};

#[derive(Debug, Default)]
pub(super) struct Seen {
    pub(super) leaf: Option<Vec<u8>>,
    pub(super) error: Option<String>,
    /// The only verification failure was the host name.
    pub(super) name_only: bool,
    pub(super) ocsp_stapled: bool,
}

#[derive(Debug)]
struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let outcome = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let mut seen = self.seen.lock().expect("not poisoned");
        seen.leaf = Some(end_entity.to_vec());
        seen.ocsp_stapled = !ocsp_response.is_empty();
        if let Err(e) = outcome {
            use rustls::CertificateError as C;
            seen.name_only = matches!(
                e,
                rustls::Error::InvalidCertificate(
                    C::NotValidForName | C::NotValidForNameContext { .. }
                )
            );
            seen.error = Some(e.to_string());
        }
        // The handshake is completed only to observe version and cipher; nothing is sent after it.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Parses the facts reports show from a DER certificate.
pub fn cert_facts(der: &[u8]) -> Option<CertFacts> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let fmt = |t: x509_parser::time::ASN1Time| {
        t.to_datetime()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => names.push((*d).to_string()),
                GeneralName::IPAddress(b) => match b.len() {
                    4 => names.push(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
                    16 => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(b);
                        names.push(std::net::Ipv6Addr::from(a).to_string());
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    Some(CertFacts {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: fmt(cert.validity().not_before),
        not_after: fmt(cert.validity().not_after),
        names,
    })
}

/// Performs the handshake with `url`'s host and describes it. Never fails: problems are facts.
pub async fn probe(url: &Url, extra_roots_pem: Option<&[u8]>, timeout: Duration) -> TlsFacts {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    handshake(&host, port, extra_roots_pem, timeout).await.0
}

/// The handshake with `host:port`: the facts, and what the verifier saw.
pub(super) async fn handshake(
    host: &str,
    port: u16,
    extra_roots_pem: Option<&[u8]>,
    timeout: Duration,
) -> (TlsFacts, Seen) {
    let host = host.to_string();
    let mut facts = TlsFacts {
        host: host.clone(),
        port,
        observed_at: crate::now_rfc3339(),
        ..TlsFacts::default()
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots: Vec<CertificateDer<'static>> = Vec::new();
    if let Some(pem) = extra_roots_pem {
        use rustls::pki_types::pem::PemObject;
        roots.extend(CertificateDer::pem_slice_iter(pem).filter_map(Result::ok));
    }
    let inner =
        match rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone()) {
            Ok(v) => v,
            Err(e) => {
                facts.error = Some(format!("cannot load trust roots: {e}"));
                return (facts, Seen::default());
            }
        };
    let seen = Arc::new(Mutex::new(Seen::default()));
    let verifier = Recording {
        inner: Arc::new(inner),
        seen: seen.clone(),
    };
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
        Err(e) => {
            facts.error = Some(e.to_string());
            return (facts, Seen::default());
        }
    };
    let Ok(name) = ServerName::try_from(host.clone()) else {
        facts.error = Some(format!("`{host}` is not a valid server name"));
        return (facts, Seen::default());
    };
    let connect = async {
        let tcp = TcpStream::connect((host.as_str(), port)).await?;
        tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
    };
    match tokio::time::timeout(timeout, connect).await {
        Err(_) => {
            facts.error = Some(format!(
                "no TLS handshake within {} ms",
                timeout.as_millis()
            ));
        }
        Ok(Err(e)) => facts.error = Some(e.to_string()),
        Ok(Ok(stream)) => {
            let (_, conn) = stream.get_ref();
            facts.version = conn.protocol_version().map(|v| format!("{v:?}"));
            facts.cipher = conn
                .negotiated_cipher_suite()
                .map(|c| format!("{:?}", c.suite()));
        }
    }
    let seen = std::mem::take(&mut *seen.lock().expect("not poisoned"));
    facts.leaf = seen.leaf.as_deref().and_then(cert_facts);
    facts.verified = seen.leaf.is_some() && seen.error.is_none() && facts.error.is_none();
    facts.verify_error.clone_from(&seen.error);
    (facts, seen)
}

/// Verifies a chain read from a plaintext (TLS ≤ 1.2) handshake, for servers rustls cannot
/// complete a handshake with (CBC-only, old versions only): what the verifier says, with a
/// host-name mismatch told apart.
pub(super) fn verify_chain(chain: &[Vec<u8>], host: &str, extra_roots_pem: Option<&[u8]>) -> Seen {
    let mut seen = Seen {
        leaf: chain.first().cloned(),
        ..Seen::default()
    };
    let Some(leaf) = chain.first() else {
        return seen;
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots: Vec<CertificateDer<'static>> = Vec::new();
    if let Some(pem) = extra_roots_pem {
        use rustls::pki_types::pem::PemObject;
        roots.extend(CertificateDer::pem_slice_iter(pem).filter_map(Result::ok));
    }
    let verifier = match rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider) {
        Ok(v) => v,
        Err(e) => {
            seen.error = Some(format!("cannot load trust roots: {e}"));
            return seen;
        }
    };
    let Ok(name) = ServerName::try_from(host.to_string()) else {
        seen.error = Some(format!("`{host}` is not a valid server name"));
        return seen;
    };
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.as_slice()))
        .collect();
    let outcome = verifier.verify_server_cert(
        &CertificateDer::from(leaf.as_slice()),
        &intermediates,
        &name,
        &[],
        UnixTime::now(),
    );
    if let Err(e) = outcome {
        use rustls::CertificateError as C;
        seen.name_only = matches!(
            e,
            rustls::Error::InvalidCertificate(
                C::NotValidForName | C::NotValidForNameContext { .. }
            )
        );
        seen.error = Some(e.to_string());
    }
    seen
}
