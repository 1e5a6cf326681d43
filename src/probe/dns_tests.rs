//! The DNS probe against an authoritative NSD on loopback (Debian `nsd`, zones signed with
//! `ldns-signzone`), never the public DNS: `signed.test` (signed; its keys are the trust
//! anchor), `plain.signed.test` (unsigned child, no DS: provably insecure), `bogus.test`
//! (signed with signatures that expired in 2020: bogus), and a resolver that never replies.

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

/// PL8-2 of the shipped checklist with these keys, judged on `d`.
fn judge_dns(d: DnsFacts, ipv6: bool, dnssec: bool) -> crate::evaluation::Status {
    let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
    let mut r = c
        .requirements
        .iter()
        .find(|r| r.id.as_str() == "PL8-2")
        .unwrap()
        .clone();
    r.checks = vec![crate::checklist::Check::Dns {
        require_ipv6: ipv6,
        require_dnssec: dnssec,
    }];
    let obs = crate::observation::Observations {
        dns: Some(Box::new(d)),
        ..Default::default()
    };
    crate::judge::judge(&r, &obs).status
}

/// An NSD serving the test zones on 127.0.0.1:`port`, killed on drop.
struct Nsd {
    child: Child,
    port: u16,
    anchors: String,
    _dir: tempfile::TempDir,
}

impl Drop for Nsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let o = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} (Debian ldnsutils/nsd, see scripts/setup): {e}"));
    assert!(
        o.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Writes `zone`'s file; signs it with a new KSK and ZSK when `sign` (with `extra`
/// `ldns-signzone` arguments) and returns its DNSKEY records (KSK and ZSK).
fn zone(dir: &Path, zone: &str, body: &str, sign: Option<&[&str]>) -> Option<String> {
    let text = format!(
        "$ORIGIN {zone}.\n$TTL 300\n@ IN SOA ns.signed.test. admin.{zone}. 1 3600 600 86400 300\n@ IN NS ns.signed.test.\n{body}"
    );
    std::fs::write(dir.join(format!("{zone}.zone")), text).unwrap();
    let extra = sign?;
    let ksk = run(dir, "ldns-keygen", &["-a", "ECDSAP256SHA256", "-k", zone]);
    let zsk = run(dir, "ldns-keygen", &["-a", "ECDSAP256SHA256", zone]);
    let mut args: Vec<&str> = extra.to_vec();
    let file = format!("{zone}.zone");
    args.extend([file.as_str(), zsk.as_str(), ksk.as_str()]);
    run(dir, "ldns-signzone", &args);
    std::fs::rename(
        dir.join(format!("{zone}.zone.signed")),
        dir.join(format!("{zone}.zone")),
    )
    .unwrap();
    // Every key of the zone is an anchor: hickory's validator asks the parent for a DS of any
    // key that is not (and there is no parent here).
    let key = |k: &str| std::fs::read_to_string(dir.join(format!("{k}.key"))).unwrap();
    Some(key(&ksk) + &key(&zsk))
}

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn nsd() -> Nsd {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut anchors = String::new();
    anchors += &zone(
        d,
        "signed.test",
        "@ IN A 127.0.0.1\n@ IN AAAA ::1\nns IN A 127.0.0.1\nv4only IN A 127.0.0.1\nplain IN NS ns.signed.test.\n",
        Some(&[]),
    )
    .unwrap();
    zone(
        d,
        "plain.signed.test",
        "@ IN A 127.0.0.1\n@ IN AAAA ::1\n",
        None,
    );
    anchors += &zone(
        d,
        "bogus.test",
        "@ IN A 127.0.0.1\n@ IN AAAA ::1\n",
        Some(&["-i", "20190101000000", "-e", "20200101000000"]),
    )
    .unwrap();
    let port = free_port();
    let dp = d.display();
    let zones: String = ["signed.test", "plain.signed.test", "bogus.test"]
        .iter()
        .map(|z| format!("zone:\n  name: {z}\n  zonefile: {dp}/{z}.zone\n"))
        .collect();
    let conf = format!(
        "server:\n  ip-address: 127.0.0.1@{port}\n  port: {port}\n  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n  \
         database: \"\"\n  zonesdir: \"{dp}\"\n  pidfile: \"{dp}/nsd.pid\"\n  xfrdfile: \"{dp}/xfrd.state\"\n  \
         zonelistfile: \"{dp}/zone.list\"\n  logfile: \"{dp}/nsd.log\"\n  server-count: 1\n  verbosity: 1\n\
         remote-control:\n  control-enable: no\n{zones}"
    );
    std::fs::write(d.join("nsd.conf"), conf).unwrap();
    // Debian installs it in /usr/sbin, which a user's PATH may lack.
    let program = if Path::new("/usr/sbin/nsd").exists() {
        "/usr/sbin/nsd"
    } else {
        "nsd"
    };
    let child = Command::new(program)
        .args(["-d", "-c"])
        .arg(d.join("nsd.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nsd (Debian nsd, see scripts/setup)");
    let nsd = Nsd {
        child,
        port,
        anchors,
        _dir: dir,
    };
    // Ready when it accepts TCP on the port (bounded: 10 s).
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nsd did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nsd
}

fn settings(resolver: SocketAddr, anchors: &str) -> DnsSettings {
    DnsSettings {
        resolver: Some(resolver),
        trust_anchor: None,
        trust_anchor_text: Some(anchors.to_string()),
    }
}

async fn observe(nsd: &Nsd, host: &str, port: u16) -> DnsFacts {
    let url = url::Url::parse(&format!("https://{host}:{port}/")).unwrap();
    let s = settings(SocketAddr::from(([127, 0, 0, 1], nsd.port)), &nsd.anchors);
    probe(&url, &s, Duration::from_secs(3)).await
}

#[tokio::test]
async fn pl8_2_signed_zone_is_secure_and_reachable_over_ipv6() {
    let nsd = nsd();
    let listener = tokio::net::TcpListener::bind("[::1]:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let d = observe(&nsd, "signed.test", port).await;
    assert_eq!(d.a.addresses, ["127.0.0.1"], "{d:?}");
    assert_eq!(d.aaaa.addresses, ["::1"], "{d:?}");
    let c = d.ipv6_connect.clone().unwrap();
    assert!(c.connected, "{c:?}");
    assert_eq!(c.address, format!("[::1]:{port}"));
    assert_eq!(d.dnssec, Dnssec::Secure, "{}", d.dnssec_message);
    assert_eq!(judge_dns(d, true, true), crate::evaluation::Status::Pass);
}

#[tokio::test]
async fn pl8_2_unsigned_child_zone_is_insecure_and_fails() {
    let nsd = nsd();
    let d = observe(&nsd, "plain.signed.test", 443).await;
    assert_eq!(d.a.addresses, ["127.0.0.1"], "{d:?}");
    assert_eq!(d.dnssec, Dnssec::Insecure, "{}", d.dnssec_message);
    assert_eq!(judge_dns(d, false, true), crate::evaluation::Status::Fail);
}

#[tokio::test]
async fn pl8_2_expired_signatures_are_bogus_and_fail() {
    let nsd = nsd();
    let d = observe(&nsd, "bogus.test", 443).await;
    assert_eq!(d.aaaa.addresses, ["::1"], "{d:?}");
    assert_eq!(d.dnssec, Dnssec::Bogus, "{}", d.dnssec_message);
    assert_eq!(judge_dns(d, false, true), crate::evaluation::Status::Fail);
}

#[tokio::test]
async fn pl8_2_no_aaaa_fails_ipv6_without_a_connect() {
    let nsd = nsd();
    let d = observe(&nsd, "v4only.signed.test", 443).await;
    assert_eq!(d.a.addresses, ["127.0.0.1"], "{d:?}");
    assert!(
        d.aaaa.addresses.is_empty() && d.aaaa.error.is_none(),
        "{d:?}"
    );
    assert!(d.ipv6_connect.is_none());
    assert_eq!(d.dnssec, Dnssec::Secure, "{}", d.dnssec_message);
    assert_eq!(judge_dns(d, true, false), crate::evaluation::Status::Fail);
}

#[tokio::test]
async fn pl8_2_ipv6_connect_refused_fails() {
    let nsd = nsd();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("[::1]:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = observe(&nsd, "signed.test", port).await;
    let c = d.ipv6_connect.clone().unwrap();
    assert!(!c.connected && c.error.is_some(), "{c:?}");
    assert_eq!(judge_dns(d, true, false), crate::evaluation::Status::Fail);
}

#[tokio::test]
async fn pl8_2_a_silent_resolver_is_an_error_within_bounded_time() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let s = settings(silent.local_addr().unwrap(), "");
    let url = url::Url::parse("https://signed.test/").unwrap();
    let start = Instant::now();
    let d = probe(&url, &s, Duration::from_secs(1)).await;
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "{:?}",
        start.elapsed()
    );
    assert!(d.a.error.is_some() && d.aaaa.error.is_some(), "{d:?}");
    assert_eq!(d.dnssec, Dnssec::Error, "{}", d.dnssec_message);
    assert_eq!(judge_dns(d, true, true), crate::evaluation::Status::Error);
}

#[tokio::test]
async fn pl8_2_an_ip_base_url_has_no_dns_name() {
    let url = url::Url::parse("https://127.0.0.1:8443/").unwrap();
    let d = probe(&url, &DnsSettings::default(), Duration::from_secs(1)).await;
    assert!(d.addressed_by_ip, "{d:?}");
    assert!(d.dnssec_message.contains("addressed by IP"));
    assert_eq!(
        judge_dns(d, true, true),
        crate::evaluation::Status::NotApplicable
    );
}
