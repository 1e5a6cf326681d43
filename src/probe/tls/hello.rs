//! A hand-built `ClientHello` for one protocol version (SSL 3.0 to TLS 1.3) and the parsing of
//! what the server answers first: a `ServerHello` (version and chosen suite), an alert, or
//! something else. No key exchange is completed: the scan learns what the server accepts
//! from its first message, as testssl.sh and sslscan do, so it can offer suites no TLS
//! library implements any more (NULL, export, RC4, …).

/// Wire codes of the protocol versions.
pub const SSL3: u16 = 0x0300;
/// TLS 1.0.
pub const TLS10: u16 = 0x0301;
/// TLS 1.1.
pub const TLS11: u16 = 0x0302;
/// TLS 1.2.
pub const TLS12: u16 = 0x0303;
/// TLS 1.3.
pub const TLS13: u16 = 0x0304;

/// The longest `ServerHello` accepted (real ones are under 300 bytes; a TLS 1.3 one with a
/// P-521 key share about 250). Anything longer is an error, not a reason to read more.
pub const MAX_SERVER_HELLO: usize = 2048;

/// The name of a version as OpenSSL and nginx's `ssl_protocols` write it (`TLSv1` for 1.0).
pub fn version_name(v: u16) -> String {
    match v {
        SSL3 => "SSLv3".into(),
        TLS10 => "TLSv1".into(),
        TLS11 => "TLSv1.1".into(),
        TLS12 => "TLSv1.2".into(),
        TLS13 => "TLSv1.3".into(),
        other => format!("0x{other:04X}"),
    }
}

fn push_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn push_u24(out: &mut Vec<u8>, v: usize) {
    let b = u32::try_from(v).unwrap_or(u32::MAX).to_be_bytes();
    out.extend_from_slice(&b[1..]);
}

fn len16(v: usize) -> u16 {
    u16::try_from(v).unwrap_or(u16::MAX)
}

fn extension(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    push_u16(out, kind);
    push_u16(out, len16(body.len()));
    out.extend_from_slice(body);
}

/// The bytes of a `ClientHello` record offering `version` (and only it) with `suites`, with
/// SNI when `host` is a DNS name and a request for a stapled OCSP response.
pub fn client_hello(version: u16, suites: &[u16], host: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(512);
    push_u16(&mut body, version.min(TLS12));
    // Not secret: nothing is ever encrypted with it.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .to_be_bytes();
    for i in 0..32 {
        body.push(seed[i % seed.len()] ^ u8::try_from(i).unwrap_or(0).wrapping_mul(37));
    }
    body.push(0); // no session id
    let mut offered: Vec<u16> = suites.to_vec();
    if version < TLS13 {
        offered.push(0x00ff); // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    }
    push_u16(&mut body, len16(offered.len() * 2));
    for s in offered {
        push_u16(&mut body, s);
    }
    body.extend_from_slice(&[1, 0]); // compression: null only
    if version > SSL3 {
        let mut ext = Vec::new();
        let dns_name = !host.is_empty() && host.parse::<std::net::IpAddr>().is_err();
        if dns_name {
            let mut sni = Vec::new();
            push_u16(&mut sni, len16(host.len() + 3));
            sni.push(0);
            push_u16(&mut sni, len16(host.len()));
            sni.extend_from_slice(host.as_bytes());
            extension(&mut ext, 0x0000, &sni);
        }
        extension(&mut ext, 0x0005, &[1, 0, 0, 0, 0]); // status_request (OCSP)
        // x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, ffdhe3072
        let groups: [u16; 6] = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101];
        let mut g = Vec::new();
        push_u16(&mut g, len16(groups.len() * 2));
        for x in groups {
            push_u16(&mut g, x);
        }
        extension(&mut ext, 0x000a, &g);
        extension(&mut ext, 0x000b, &[1, 0]); // ec_point_formats: uncompressed
        let schemes: [u16; 12] = [
            0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601, 0x0201,
            0x0203,
        ];
        let mut s = Vec::new();
        push_u16(&mut s, len16(schemes.len() * 2));
        for x in schemes {
            push_u16(&mut s, x);
        }
        extension(&mut ext, 0x000d, &s);
        if version >= TLS13 {
            extension(&mut ext, 0x002b, &[2, 0x03, 0x04]); // supported_versions: 1.3 only
            extension(&mut ext, 0x002d, &[1, 1]); // psk_key_exchange_modes: psk_dhe_ke
            // key_share: x25519 with the base point (a valid public key; the handshake
            // never gets as far as using it).
            let mut ks = Vec::new();
            push_u16(&mut ks, 36);
            push_u16(&mut ks, 0x001d);
            push_u16(&mut ks, 32);
            ks.push(9);
            ks.extend_from_slice(&[0; 31]);
            extension(&mut ext, 0x0033, &ks);
        }
        push_u16(&mut body, len16(ext.len()));
        body.extend_from_slice(&ext);
    }
    let mut hs = vec![1];
    push_u24(&mut hs, body.len());
    hs.extend_from_slice(&body);
    let mut record = vec![22];
    push_u16(&mut record, if version == SSL3 { SSL3 } else { TLS10 });
    push_u16(&mut record, len16(hs.len()));
    record.extend_from_slice(&hs);
    record
}

/// The server's first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A `ServerHello` (or a TLS 1.3 `HelloRetryRequest`, which names the same choices).
    ServerHello {
        /// Negotiated version (`supported_versions` when present, else the legacy field).
        version: u16,
        /// Chosen suite.
        suite: u16,
    },
    /// A TLS alert.
    Alert {
        /// Alert description code.
        description: u8,
    },
}

/// The result of parsing what has been read so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    NeedMore,
    /// The answer.
    Done(Reply),
    /// Not a TLS answer, or one beyond the bounds.
    Invalid(String),
}

/// Parses the first handshake message or alert from the bytes read so far.
pub fn parse(buf: &[u8]) -> Parsed {
    let mut handshake = Vec::new();
    let mut at = 0;
    loop {
        if buf.len() < at + 5 {
            return Parsed::NeedMore;
        }
        let kind = buf[at];
        if !(kind == 21 || kind == 22) || buf[at + 1] != 3 {
            return Parsed::Invalid(format!(
                "not a TLS record (first bytes {})",
                hex(&buf[at..buf.len().min(at + 8)])
            ));
        }
        let len = usize::from(u16::from_be_bytes([buf[at + 3], buf[at + 4]]));
        if len == 0 || len > 16384 + 2048 {
            return Parsed::Invalid(format!("TLS record of {len} bytes"));
        }
        let end = at + 5 + len;
        let data = &buf[at + 5..buf.len().min(end)];
        if kind == 21 {
            if data.len() < 2 {
                return Parsed::NeedMore;
            }
            return Parsed::Done(Reply::Alert {
                description: data[1],
            });
        }
        handshake.extend_from_slice(data);
        if handshake.len() >= 4 {
            if handshake[0] != 2 {
                return Parsed::Invalid(format!(
                    "handshake message {} where a ServerHello was expected",
                    handshake[0]
                ));
            }
            let hlen = usize::from(handshake[1]) << 16
                | usize::from(handshake[2]) << 8
                | usize::from(handshake[3]);
            if hlen > MAX_SERVER_HELLO {
                return Parsed::Invalid(format!(
                    "ServerHello of {hlen} bytes (more than {MAX_SERVER_HELLO})"
                ));
            }
            if handshake.len() >= 4 + hlen {
                return server_hello(&handshake[4..4 + hlen]);
            }
        }
        if buf.len() < end {
            return Parsed::NeedMore;
        }
        at = end;
    }
}

/// The certificate chain (DER, leaf first) of a plaintext handshake (TLS ≤ 1.2): `Ok(None)`
/// while more bytes are needed, `Err` when the bytes are not a handshake or the server's
/// flight ended (`ServerHelloDone`) without a `Certificate` message.
pub fn certificate_chain(buf: &[u8]) -> Result<Option<Vec<Vec<u8>>>, String> {
    let mut handshake = Vec::new();
    let mut at = 0;
    while buf.len() >= at + 5 {
        if buf[at] == 21 {
            return Err("alert instead of a certificate".into());
        }
        if buf[at] != 22 {
            return Err("not a TLS handshake record".into());
        }
        let len = usize::from(u16::from_be_bytes([buf[at + 3], buf[at + 4]]));
        let end = (at + 5 + len).min(buf.len());
        handshake.extend_from_slice(&buf[at + 5..end]);
        at += 5 + len;
    }
    let mut m = 0;
    while handshake.len() >= m + 4 {
        let kind = handshake[m];
        let len = usize::from(handshake[m + 1]) << 16
            | usize::from(handshake[m + 2]) << 8
            | usize::from(handshake[m + 3]);
        let Some(body) = handshake.get(m + 4..m + 4 + len) else {
            return Ok(None);
        };
        match kind {
            11 => return certificates(body).map(Some),
            14 => return Err("no Certificate message before ServerHelloDone".into()),
            _ => m += 4 + len,
        }
    }
    Ok(None)
}

fn certificates(body: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let u24 = |b: &[u8]| usize::from(b[0]) << 16 | usize::from(b[1]) << 8 | usize::from(b[2]);
    let total = body
        .get(..3)
        .map(u24)
        .ok_or("malformed Certificate message")?;
    let list = body
        .get(3..3 + total)
        .ok_or("malformed Certificate message")?;
    let mut chain = Vec::new();
    let mut at = 0;
    while at + 3 <= list.len() {
        let len = u24(&list[at..]);
        let der = list
            .get(at + 3..at + 3 + len)
            .ok_or("malformed Certificate message")?;
        chain.push(der.to_vec());
        at += 3 + len;
    }
    Ok(chain)
}

fn server_hello(b: &[u8]) -> Parsed {
    let bad = || Parsed::Invalid("malformed ServerHello".into());
    // version 2, random 32, session id length 1
    let Some(&sid) = b.get(34) else {
        return bad();
    };
    let at = 35 + usize::from(sid);
    let (Some(s), Some(_compression)) = (b.get(at..at + 2), b.get(at + 2)) else {
        return bad();
    };
    let mut version = u16::from_be_bytes([b[0], b[1]]);
    let suite = u16::from_be_bytes([s[0], s[1]]);
    let mut ext = at + 3;
    if let Some(l) = b.get(ext..ext + 2) {
        let end = (ext + 2 + usize::from(u16::from_be_bytes([l[0], l[1]]))).min(b.len());
        ext += 2;
        while ext + 4 <= end {
            let kind = u16::from_be_bytes([b[ext], b[ext + 1]]);
            let len = usize::from(u16::from_be_bytes([b[ext + 2], b[ext + 3]]));
            if kind == 0x002b && len == 2 && ext + 6 <= end {
                version = u16::from_be_bytes([b[ext + 4], b[ext + 5]]);
            }
            ext += 4 + len;
        }
    }
    Parsed::Done(Reply::ServerHello { version, suite })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The RFC 8446 name of an alert description.
pub fn alert_name(code: u8) -> String {
    match code {
        0 => "close_notify".into(),
        10 => "unexpected_message".into(),
        20 => "bad_record_mac".into(),
        40 => "handshake_failure".into(),
        47 => "illegal_parameter".into(),
        50 => "decode_error".into(),
        51 => "decrypt_error".into(),
        70 => "protocol_version".into(),
        71 => "insufficient_security".into(),
        80 => "internal_error".into(),
        86 => "inappropriate_fallback".into(),
        109 => "missing_extension".into(),
        110 => "unsupported_extension".into(),
        112 => "unrecognized_name".into(),
        other => format!("alert {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_hello_record(version: u16, suite: u16, supported: Option<u16>) -> Vec<u8> {
        let mut b = Vec::new();
        push_u16(&mut b, version);
        b.extend_from_slice(&[7; 32]);
        b.push(0);
        push_u16(&mut b, suite);
        b.push(0);
        let mut ext = Vec::new();
        if let Some(v) = supported {
            extension(&mut ext, 0x002b, &v.to_be_bytes());
        }
        push_u16(&mut b, len16(ext.len()));
        b.extend_from_slice(&ext);
        let mut hs = vec![2];
        push_u24(&mut hs, b.len());
        hs.extend_from_slice(&b);
        let mut r = vec![22, 3, 3];
        push_u16(&mut r, len16(hs.len()));
        r.extend_from_slice(&hs);
        r
    }

    #[test]
    fn client_hello_is_a_well_formed_record() {
        let h = client_hello(TLS10, &[0x002f, 0x000a], "dvc.mau.gov.vn");
        assert_eq!(&h[..3], &[22, 3, 1]);
        assert_eq!(usize::from(u16::from_be_bytes([h[3], h[4]])), h.len() - 5);
        assert_eq!(h[5], 1, "ClientHello");
        assert_eq!(&h[9..11], &[3, 1], "client_version TLS 1.0");
        assert_eq!(&h[44..50], &[0, 6, 0, 0x2f, 0, 0x0a], "suites and the SCSV");
        assert!(h.windows(14).any(|w| w == b"dvc.mau.gov.vn"), "SNI");
        let ip = client_hello(TLS12, &[0x002f], "127.0.0.1");
        assert!(
            !ip.windows(9).any(|w| w == b"127.0.0.1"),
            "no SNI for an address"
        );
        let v13 = client_hello(TLS13, &[0x1301], "a.vn");
        assert_eq!(&v13[9..11], &[3, 3], "TLS 1.3 says 1.2 in the legacy field");
        assert!(v13.windows(7).any(|w| w == [0, 0x2b, 0, 3, 2, 3, 4]));
        let ssl3 = client_hello(SSL3, &[0x000a], "a.vn");
        assert_eq!(&ssl3[1..3], &[3, 0]);
        assert!(
            !ssl3.windows(4).any(|w| w == b"a.vn"),
            "no extensions in SSL 3.0"
        );
    }

    #[test]
    fn server_hello_alert_and_garbage_are_told_apart() {
        let sh = server_hello_record(TLS12, 0xc02f, None);
        assert_eq!(
            parse(&sh),
            Parsed::Done(Reply::ServerHello {
                version: TLS12,
                suite: 0xc02f
            })
        );
        let tls13 = server_hello_record(TLS12, 0x1301, Some(TLS13));
        assert_eq!(
            parse(&tls13),
            Parsed::Done(Reply::ServerHello {
                version: TLS13,
                suite: 0x1301
            })
        );
        for cut in [0, 3, 9, sh.len() - 1] {
            assert_eq!(parse(&sh[..cut]), Parsed::NeedMore, "cut at {cut}");
        }
        // The same ServerHello split over two records.
        let body = &sh[5..];
        let mut split = vec![22, 3, 3, 0, 10];
        split.extend_from_slice(&body[..10]);
        split.extend_from_slice(&[22, 3, 3]);
        push_u16(&mut split, len16(body.len() - 10));
        split.extend_from_slice(&body[10..]);
        assert_eq!(parse(&split), parse(&sh));
        assert_eq!(
            parse(&[21, 3, 1, 0, 2, 2, 70]),
            Parsed::Done(Reply::Alert { description: 70 })
        );
        assert_eq!(alert_name(70), "protocol_version");
        assert!(matches!(parse(b"HTTP/1.1 400 Bad"), Parsed::Invalid(_)));
        let huge = [22, 3, 3, 0, 8, 2, 0xff, 0xff, 0xff];
        assert!(matches!(parse(&huge), Parsed::Invalid(m) if m.contains("ServerHello of")));
        assert!(matches!(parse(&[22, 3, 3, 0xff, 0xff]), Parsed::Invalid(_)));
        assert!(matches!(
            parse(&[22, 3, 3, 0, 4, 11, 0, 0, 0]),
            Parsed::Invalid(m) if m.contains("handshake message 11")
        ));
        assert!(matches!(
            parse(&[22, 3, 3, 0, 6, 2, 0, 0, 2, 3, 3]),
            Parsed::Invalid(m) if m.contains("malformed")
        ));
    }

    #[test]
    fn the_certificate_chain_is_read_from_a_plaintext_flight() {
        let hs = |kind: u8, body: &[u8]| {
            let mut m = vec![kind];
            push_u24(&mut m, body.len());
            m.extend_from_slice(body);
            m
        };
        let mut list = Vec::new();
        for der in [&b"leaf-der"[..], &b"intermediate"[..]] {
            push_u24(&mut list, der.len());
            list.extend_from_slice(der);
        }
        let mut cert = Vec::new();
        push_u24(&mut cert, list.len());
        cert.extend_from_slice(&list);
        let sh = server_hello_record(TLS12, 0x002f, None);
        let mut flight = sh.clone();
        let mut rec = hs(11, &cert);
        rec.extend_from_slice(&hs(14, &[]));
        flight.extend_from_slice(&[22, 3, 3]);
        push_u16(&mut flight, len16(rec.len()));
        flight.extend_from_slice(&rec);
        assert_eq!(
            certificate_chain(&flight),
            Ok(Some(vec![b"leaf-der".to_vec(), b"intermediate".to_vec()]))
        );
        assert_eq!(
            certificate_chain(&flight[..sh.len() + 12]),
            Ok(None),
            "cut short"
        );
        let mut no_cert = sh.clone();
        no_cert.extend_from_slice(&[22, 3, 3, 0, 4, 14, 0, 0, 0]);
        assert!(certificate_chain(&no_cert).is_err());
        assert!(certificate_chain(&[21, 3, 3, 0, 2, 2, 40]).is_err());
        assert!(certificate_chain(b"HTTP/1.1 400").is_err());
    }
}
