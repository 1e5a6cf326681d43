//! The scan against loopback servers: the reference portal (rustls: TLS 1.2/1.3, AEAD only),
//! nginx fixtures with old protocols and weak suites (Debian nginx-light, OpenSSL 3), hostile
//! servers (silent, garbage, reset, an oversized `ServerHello`), and a server that accepts
//! every suite, behind a counting listener, for the connection bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::{MAX_CONNECTIONS, scan};
use crate::observation::{ProtocolOutcome, TlsScan};

const T: Duration = Duration::from_millis(400);

fn outcomes(s: &TlsScan) -> Vec<(String, ProtocolOutcome)> {
    s.protocols
        .iter()
        .map(|p| (p.version.clone(), p.outcome))
        .collect()
}

/// A server that does `answer` with every connection, counting them.
async fn server<F, Fut>(answer: F) -> (u16, Arc<AtomicU32>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    let count = Arc::new(AtomicU32::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(s));
        }
    });
    (port, count)
}

async fn read_hello(s: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    let mut n = 0;
    while n < 5 || n < 5 + usize::from(u16::from_be_bytes([buf[3], buf[4]])) {
        match s.read(&mut buf[n..]).await {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    buf.truncate(n);
    buf
}

#[tokio::test]
async fn hostile_servers_give_errors_in_bounded_time() {
    let silent = server(|s| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(s);
    })
    .await;
    let garbage = server(|mut s| async move {
        let _ = read_hello(&mut s).await;
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    })
    .await;
    let reset = server(|mut s| async move {
        let _ = read_hello(&mut s).await;
        // SO_LINGER 0: the close sends a reset (blocking on drop is moot with zero linger).
        #[allow(deprecated)]
        let _ = s.set_linger(Some(Duration::ZERO));
        drop(s);
    })
    .await;
    let huge = server(|mut s| async move {
        let _ = read_hello(&mut s).await;
        // A record of 16 KiB announcing a 16 MiB ServerHello, then endless bytes.
        let _ = s.write_all(&[22, 3, 3, 0x40, 0, 2, 0xff, 0xff, 0xff]).await;
        for _ in 0..64 {
            if s.write_all(&[0u8; 1024]).await.is_err() {
                break;
            }
        }
    })
    .await;
    for (name, (port, count), want) in [
        ("silent", silent, "no answer within 400 ms"),
        ("garbage", garbage, "not a TLS record"),
        ("reset", reset, "connection failed"),
        ("huge", huge, "ServerHello of 16777215 bytes"),
    ] {
        let started = Instant::now();
        let s = scan("127.0.0.1", port, None, T).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(3), "{name}: {took:?}");
        for p in &s.protocols {
            assert_eq!(
                p.outcome,
                ProtocolOutcome::Error,
                "{name} {}: {}",
                p.version,
                p.detail
            );
            assert!(
                p.detail.contains(want),
                "{name} {}: {}",
                p.version,
                p.detail
            );
        }
        assert!(
            s.certificate.is_none() && s.certificate_error.is_some(),
            "{name}"
        );
        assert!(s.accepted_versions().is_empty());
        assert_eq!(
            count.load(Ordering::SeqCst),
            6,
            "{name}: one hello per version and one handshake"
        );
        assert_eq!(s.connections, 6, "{name}");
    }
}

/// A `ServerHello` for `version` choosing `suite`.
fn server_hello(version: u16, suite: u16) -> Vec<u8> {
    let mut b = vec![3, 3];
    if version < 0x0304 {
        b = version.to_be_bytes().to_vec();
    }
    b.extend_from_slice(&[1; 32]);
    b.push(0);
    b.extend_from_slice(&suite.to_be_bytes());
    b.push(0);
    if version >= 0x0304 {
        b.extend_from_slice(&[0, 6, 0, 0x2b, 0, 2, 3, 4]);
    } else {
        b.extend_from_slice(&[0, 0]);
    }
    let mut hs = vec![2, 0];
    hs.extend_from_slice(&u16::try_from(b.len()).expect("small").to_be_bytes());
    hs.extend_from_slice(&b);
    let mut r = vec![22, 3, 3];
    r.extend_from_slice(&u16::try_from(hs.len()).expect("small").to_be_bytes());
    r.extend_from_slice(&hs);
    r
}

#[tokio::test]
async fn a_server_accepting_every_suite_stays_within_the_connection_bound() {
    // Accepts every version and the first suite offered: the longest possible scan.
    let (port, count) = server(|mut s| async move {
        let h = read_hello(&mut s).await;
        if h.len() < 48 {
            return;
        }
        let tls13 = h.windows(7).any(|w| w == [0, 0x2b, 0, 3, 2, 3, 4]);
        let version = if tls13 {
            0x0304
        } else {
            u16::from_be_bytes([h[9], h[10]])
        };
        let sid = usize::from(h[43]);
        let first = u16::from_be_bytes([h[46 + sid], h[47 + sid]]);
        let _ = s.write_all(&server_hello(version, first)).await;
    })
    .await;
    let s = scan("127.0.0.1", port, None, T).await;
    assert_eq!(
        s.accepted_versions(),
        ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    );
    for p in &s.protocols {
        assert!(p.suites_complete, "{}", p.version);
    }
    assert_eq!(s.protocols[4].suites.len(), 5, "every TLS 1.3 suite");
    assert!(
        s.certificate_error
            .as_deref()
            .is_some_and(|e| e.contains("reading the certificate from a TLSv1.2 handshake")),
        "{:?}",
        s.certificate_error
    );
    assert!(s.protocols[3].suites.iter().any(|x| x.weak == ["NULL"]));
    let n = count.load(Ordering::SeqCst);
    assert_eq!(n, s.connections);
    assert!(
        n <= MAX_CONNECTIONS,
        "{n} connections, bound {MAX_CONNECTIONS}"
    );
    let legacy = u32::try_from(super::suites::LEGACY.len()).expect("small");
    assert_eq!(
        n,
        4 * legacy + 5 + 2,
        "every suite once, the certificate handshake, the plaintext one"
    );
    assert_eq!(n, MAX_CONNECTIONS, "the bound is reached, not exceeded");
}

#[tokio::test]
async fn the_reference_portal_offers_tls_1_2_and_1_3_with_aead_suites_only() {
    let portal = crate::demo::start(0, 0, crate::demo::Defects::default())
        .await
        .expect("demo");
    let ca = portal.ca_pem.clone();
    let s = scan("127.0.0.1", portal.https.port(), Some(ca.as_bytes()), T).await;
    assert_eq!(
        s.accepted_versions(),
        ["TLSv1.2", "TLSv1.3"],
        "{:?}",
        outcomes(&s)
    );
    for p in s.protocols.iter().filter(|p| !p.accepted()) {
        assert_eq!(
            p.outcome,
            ProtocolOutcome::Refused,
            "{}: {}",
            p.version,
            p.detail
        );
    }
    let all: Vec<&str> = s
        .protocols
        .iter()
        .flat_map(|p| &p.suites)
        .map(|x| x.name.as_str())
        .collect();
    assert!(
        all.contains(&"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        "{all:?}"
    );
    assert!(all.contains(&"TLS_AES_256_GCM_SHA384"), "{all:?}");
    assert!(
        s.protocols
            .iter()
            .flat_map(|p| &p.suites)
            .all(|x| x.aead && x.weak.is_empty())
    );
    let c = s.certificate.as_ref().expect("certificate");
    assert_eq!((c.key_type.as_str(), c.key_bits), ("EC", Some(256)));
    assert!(c.host_match && c.chain_error.is_none(), "{c:?}");
    assert!(s.connections <= MAX_CONNECTIONS);
    // Without the demo CA the chain is not trusted, and that is what the scan says.
    let untrusted = scan("127.0.0.1", portal.https.port(), None, T).await;
    let c = untrusted.certificate.expect("certificate");
    assert!(c.chain_error.is_some_and(|e| e.contains("UnknownIssuer")));
}

/// An nginx (Debian nginx-light, OpenSSL 3) serving TLS on loopback with a 2048-bit RSA
/// certificate for 127.0.0.1; stopped on drop.
struct Nginx {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx(protocols: &str, ciphers: &str) -> Nginx {
    let bin = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("these tests need nginx (Debian: apt-get install nginx-light)");
    let dir = tempfile::tempdir().expect("tempdir");
    let key = rcgen::KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        .expect("RSA key");
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("cert");
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("cert.pem"), cert.pem()).expect("write");
    std::fs::write(p("key.pem"), key.serialize_pem()).expect("write");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let conf = format!(
        "daemon off; master_process off; pid {pid}; error_log {err};\n\
         events {{ worker_connections 64; }}\n\
         http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp};\n\
         fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n\
         server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {cert}; ssl_certificate_key {key};\n\
         ssl_protocols {protocols}; ssl_ciphers {ciphers}; location / {{ return 200 ok; }} }} }}\n",
        pid = p("nginx.pid"),
        err = p("error.log"),
        tmp = dir.path().display(),
        cert = p("cert.pem"),
        key = p("key.pem"),
    );
    std::fs::write(p("nginx.conf"), conf).expect("write");
    let child = std::process::Command::new(bin)
        .args(["-p", &p(""), "-c", &p("nginx.conf"), "-e", &p("error.log")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nginx starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not listen: {}",
            std::fs::read_to_string(p("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Nginx {
        child,
        port,
        _dir: dir,
    }
}

/// SEC-1 with only its check of `kind`, as the shipped checklist writes it.
fn sec_1_only(kind: &str, obs: &crate::observation::Observations) -> crate::evaluation::Verdict {
    let c = crate::checklist::Checklist::resolve("tt21-2023").expect("checklist");
    let mut req = c.get("SEC-1").expect("SEC-1").clone();
    req.checks.retain(|c| c.kind() == kind);
    assert_eq!(req.checks.len(), 1, "SEC-1 has {kind}");
    crate::judge::judge(&req, obs)
}

fn sec_1_tls_protocols(s: TlsScan) -> crate::evaluation::Verdict {
    let obs = crate::observation::Observations {
        tls_scan: Some(s),
        ..Default::default()
    };
    sec_1_only("tls-protocols", &obs)
}

#[tokio::test]
async fn nginx_with_old_protocols_and_weak_suites_fails_each_finding() {
    let weak = nginx(
        "TLSv1 TLSv1.1 TLSv1.2",
        "ECDHE-RSA-AES128-SHA:AES256-SHA:NULL-SHA256:AECDH-AES128-SHA:@SECLEVEL=0",
    );
    let s = scan("127.0.0.1", weak.port, None, Duration::from_secs(5)).await;
    assert_eq!(
        s.accepted_versions(),
        ["TLSv1", "TLSv1.1", "TLSv1.2"],
        "{:?}",
        outcomes(&s)
    );
    let tls12 = &s.protocols[3];
    let names: Vec<&str> = tls12.suites.iter().map(|x| x.name.as_str()).collect();
    for n in [
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_NULL_SHA256",
        "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(tls12.suites_complete);
    // rustls implements no CBC suite: the certificate comes from a plaintext TLS 1.2
    // handshake, verified all the same (self-signed here: not trusted).
    let c = s.certificate.clone().expect("certificate");
    assert_eq!((c.key_type.as_str(), c.key_bits), ("RSA", Some(2048)));
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert!(c.host_match && c.ocsp_stapled.is_none());
    assert!(c.chain_error.is_some(), "self-signed");
    let v = sec_1_tls_protocols(s);
    assert_eq!(v.status, crate::evaluation::Status::Fail);
    for m in [
        "TLSv1 accepted",
        "TLSv1.1 accepted",
        "TLS_RSA_WITH_NULL_SHA256 (NULL)",
        "TLS_ECDH_anon_WITH_AES_128_CBC_SHA (anon)",
        "TLSv1.2: CBC suites only",
    ] {
        assert!(v.message.en.contains(m), "{m}: {}", v.message.en);
    }
    let good = nginx("TLSv1.2 TLSv1.3", "ECDHE+AESGCM:ECDHE+CHACHA20");
    let s = scan("127.0.0.1", good.port, None, Duration::from_secs(5)).await;
    assert_eq!(
        s.accepted_versions(),
        ["TLSv1.2", "TLSv1.3"],
        "{:?}",
        outcomes(&s)
    );
    assert_eq!(
        s.protocols[4].suites.len(),
        3,
        "OpenSSL's three default TLS 1.3 suites"
    );
    let c = s.certificate.clone().expect("certificate");
    assert_eq!((c.key_type.as_str(), c.key_bits), ("RSA", Some(2048)));
    assert!(c.host_match && c.ocsp_stapled == Some(false), "{c:?}");
    let v = sec_1_tls_protocols(s);
    assert_eq!(
        v.status,
        crate::evaluation::Status::Pass,
        "{}",
        v.message.en
    );
}

/// SEC-1's `certificate-valid` on the reference portal's handshake and scan (its home page
/// answered, as far as this judge cares).
async fn certificate_verdict(defects: &[&str]) -> crate::evaluation::Verdict {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    let defects = crate::demo::Defects::parse(&names).expect("defects");
    let portal = crate::demo::start(0, 0, defects).await.expect("demo");
    let url = url::Url::parse(&portal.base_url()).expect("url");
    let ca = portal.ca_pem.clone();
    let port = portal.https.port();
    let mut obs = crate::observation::Observations {
        base_url: url.to_string(),
        tls: Some(super::probe(&url, Some(ca.as_bytes()), T).await),
        tls_scan: Some(scan("127.0.0.1", port, Some(ca.as_bytes()), T).await),
        ..Default::default()
    };
    obs.pages.push(crate::observation::Page {
        url: url.to_string(),
        roles: vec![crate::observation::Role::Home],
        depth: Some(0),
        fetch: crate::observation::Fetch {
            status: Some(200),
            ..Default::default()
        },
    });
    sec_1_only("certificate-valid", &obs)
}

#[tokio::test]
async fn expired_and_wrong_host_certificates_fail_sec_1_the_clean_one_passes() {
    use crate::evaluation::Status;
    let clean = certificate_verdict(&[]).await;
    assert_eq!(clean.status, Status::Pass, "{}", clean.message.en);
    let expired = certificate_verdict(&["expired-cert"]).await;
    assert_eq!(expired.status, Status::Fail);
    assert!(
        expired.message.en.contains("chain not valid")
            && expired.message.en.contains("certificate expired"),
        "{}",
        expired.message.en
    );
    assert!(
        expired.message.en.contains("expires in -10 days"),
        "{}",
        expired.message.en
    );
    let wrong = certificate_verdict(&["wrong-host-cert"]).await;
    assert_eq!(wrong.status, Status::Fail);
    assert!(
        wrong
            .message
            .en
            .contains("certificate not for 127.0.0.1 (names: dichvucong.khac.gov.vn)"),
        "{}",
        wrong.message.en
    );
    assert!(!wrong.message.en.contains("chain"), "{}", wrong.message.en);
}
