//! The reference portal's TLS: a CA and a leaf certificate generated at start, and the
//! accept loop serving the router over rustls.

use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::error::Error;

/// A CA and a leaf for `127.0.0.1/localhost/::1` and the mock EMC tracker's
/// `emc.localhost`, generated now. With `expired-cert` the leaf expired ten days ago; with
/// `wrong-host-cert` it names only `dichvucong.khac.gov.vn`.
pub(super) fn certificates(
    defects: &super::Defects,
) -> Result<(String, rustls::ServerConfig), Error> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let e = |e: rcgen::Error| Error::Demo(e.to_string());
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "kiemdinh demo CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(e)?;
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).map_err(e)?;
    let names = if defects.has("wrong-host-cert") {
        vec!["dichvucong.khac.gov.vn".to_string()]
    } else {
        vec![
            "localhost".to_string(),
            super::layout::TRACKER_HOST.to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ]
    };
    let mut leaf_params = CertificateParams::new(names).map_err(e)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "dichvucong.mau.gov.vn (demo)");
    let now = time::OffsetDateTime::now_utc();
    if defects.has("expired-cert") {
        leaf_params.not_before = now - time::Duration::days(100);
        leaf_params.not_after = now - time::Duration::days(10);
    } else {
        leaf_params.not_before = now - time::Duration::days(1);
        leaf_params.not_after = now + time::Duration::days(90);
    }
    let leaf_key = KeyPair::generate().map_err(e)?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca).map_err(e)?;
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der())
        .map_err(|m| Error::Demo(m.to_string()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|m| Error::Demo(m.to_string()))?
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
    .map_err(|m| Error::Demo(m.to_string()))?;
    Ok((ca.pem(), config))
}

pub(super) async fn serve_tls(listener: TcpListener, config: rustls::ServerConfig, app: Router) {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let app = tower::ServiceExt::map_request(app, super::router::strip_session);
            let service = TowerToHyperService::new(app);
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}
