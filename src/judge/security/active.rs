//! SEC-3 (session renewal), SEC-4, SEC-5: the consent-gated active checks, judged from
//! `Observations.active`. Without the run (no `--active-security`, no authorisation, no test
//! account) a check is `pending` with the reason the probe recorded, as any check kiemdinh did
//! not carry out (evidence or an attestation makes it `attested`): `skipped` would make every
//! evaluation without consent a partial, unrankable one.

use crate::checklist::Requirement;
use crate::evaluation::{EvidenceRef, Status};
use crate::judge::{Outcome, supplied};
use crate::observation::{ActiveRun, Observations};
use crate::text::Text;
use crate::tr;

/// The run, or the `skipped`/`error` outcome that stands for it; `part` picks the sub-check's
/// facts, `why_not` says why a run without them did not observe them.
fn facts<'a, T>(
    req: &Requirement,
    obs: &'a Observations,
    expected: &Text,
    part: impl Fn(&'a ActiveRun) -> Option<&'a T>,
    why_not: Text,
) -> Result<(&'a ActiveRun, &'a T), Outcome> {
    let skipped = |why: Text| {
        supplied(req, expected, obs).unwrap_or_else(|| {
            Outcome::new(
                Status::Pending,
                expected.clone(),
                Text::new("(không chạy)", "(not run)"),
                why,
            )
        })
    };
    let Some(run) = &obs.active else {
        return Err(skipped(Text::new(
            "Kiểm tra chủ động không chạy (cần --active-security)",
            "active checks not run (needs --active-security)",
        )));
    };
    if let Some(why) = &run.skipped {
        return Err(skipped(why.clone()));
    }
    match part(run) {
        Some(t) => Ok((run, t)),
        None => Err(match &run.error {
            Some(e) => Outcome::error(
                expected.clone(),
                tr!("Không thực hiện được: {e}", "could not be carried out: {e}"),
            ),
            None => skipped(why_not),
        }),
    }
}

fn evidence(run: &ActiveRun) -> Vec<EvidenceRef> {
    if run.login_url.is_empty() {
        return Vec::new();
    }
    vec![EvidenceRef::url("login form", run.login_url.clone())]
}

/// SEC-3 (active): the session id after a test-account login differs from the one before.
pub fn session_renewed(req: &Requirement, obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Mã phiên mới sau khi đăng nhập",
        "a new session id after login",
    );
    let (run, r) = match facts(
        req,
        obs,
        &expected,
        |a| a.renewal.as_ref(),
        Text::new("Chưa quan sát", "not observed"),
    ) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let (before_vi, before_en) = if r.issued_before {
        ("do cổng cấp", "issued by the portal")
    } else {
        ("do kiemdinh đặt sẵn", "planted by kiemdinh")
    };
    let (after_vi, after_en) = if r.renewed {
        ("mới", "new")
    } else {
        ("giữ nguyên", "kept")
    };
    let observed = Text::new(
        format!(
            "cookie {}: mã trước đăng nhập {before_vi}; sau đăng nhập {after_vi}",
            r.cookie_name
        ),
        format!(
            "cookie {}: pre-login id {before_en}; after login {after_en}",
            r.cookie_name
        ),
    );
    Outcome::either(
        r.renewed,
        expected,
        observed,
        Text::new(
            "Mã phiên được cấp mới",
            "the session id is renewed at login",
        ),
        Text::new(
            "Mã phiên giữ nguyên qua đăng nhập (session fixation)",
            "the session id is kept across login (session fixation)",
        ),
    )
    .with_evidence(evidence(run))
}

/// SEC-4 (active): the declared idle timeout is at most `max_idle_s` and an idle session is
/// refused after it.
pub fn idle_timeout(req: &Requirement, max_idle_s: u64, obs: &Observations) -> Outcome {
    let expected = tr!(
        "Phiên hết hạn sau ≤ {max_idle_s} s không hoạt động",
        "an idle session expires within {max_idle_s} s"
    );
    let (run, i) = match facts(
        req,
        obs,
        &expected,
        |a| a.idle.as_ref(),
        Text::new(
            "Kịch bản không khai báo idle-timeout-s trong [security.active]",
            "the scenario declares no idle-timeout-s in [security.active]",
        ),
    ) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let observed = tr!(
        "khai báo {} s; sau {} s không hoạt động: HTTP {}",
        "declared {} s; after {} s idle: HTTP {}",
        i.declared_s,
        i.waited_s,
        i.status_after_wait
    );
    let o = if !i.valid_after_login {
        Outcome::error(
            expected,
            Text::new(
                "Phiên không dùng được ngay sau đăng nhập: không đánh giá được thời gian chờ",
                "the session did not open the protected page right after login: the timeout cannot be judged",
            ),
        )
    } else if i.declared_s > max_idle_s {
        Outcome::fail(
            expected,
            observed,
            tr!(
                "Thời gian chờ khai báo {} s vượt {max_idle_s} s",
                "the declared idle timeout {} s exceeds {max_idle_s} s",
                i.declared_s
            ),
        )
    } else {
        Outcome::either(
            i.refused_after_wait,
            expected,
            observed,
            Text::new(
                "Phiên hết hạn sau thời gian chờ",
                "the idle session is refused",
            ),
            tr!(
                "Phiên vẫn còn hiệu lực sau {} s không hoạt động",
                "the session is still valid after {} s idle",
                i.waited_s
            ),
        )
    };
    o.with_evidence(evidence(run))
}

/// SEC-5 (active): after at most `max_failures` wrong passwords the account is locked (the
/// right password refused, or a lockout message).
pub fn login_lockout(req: &Requirement, max_failures: u32, obs: &Observations) -> Outcome {
    let expected = tr!(
        "Khóa tài khoản sau ≤ {max_failures} lần sai",
        "the account locks after at most {max_failures} failures"
    );
    let (run, l) = match facts(
        req,
        obs,
        &expected,
        |a| a.lockout.as_ref(),
        Text::new("Chưa quan sát", "not observed"),
    ) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let observed = tr!(
        "{} lần sai; thông báo khóa: {}; mật khẩu đúng sau đó: {}",
        "{} wrong passwords; lockout message: {}; the right password then: {}",
        l.wrong_attempts,
        l.locked_message_at
            .map_or_else(|| "—".to_string(), |k| format!("#{k}")),
        if l.right_password_refused {
            "bị từ chối / refused"
        } else {
            "được chấp nhận / accepted"
        }
    );
    let pass = Text::new("Tài khoản bị khóa", "the account is locked");
    let o = match l.locked_message_at {
        Some(k) => Outcome::either(
            k <= max_failures,
            expected,
            observed,
            pass,
            tr!(
                "Chỉ khóa sau lần sai thứ {k}",
                "locked only after failure {k}"
            ),
        ),
        None if l.right_password_refused && l.wrong_attempts <= max_failures => {
            Outcome::pass(expected, observed, pass)
        }
        None if l.right_password_refused => Outcome::error(
            expected,
            tr!(
                "Bị khóa sau {} lần sai, không biết có trong {max_failures} lần không",
                "locked after {} failures: cannot tell whether within {max_failures}",
                l.wrong_attempts
            ),
        ),
        None if l.wrong_attempts >= max_failures => Outcome::fail(
            expected,
            observed,
            tr!(
                "Không khóa sau {} lần sai: mật khẩu đúng vẫn đăng nhập được",
                "no lockout after {} failures: the right password still logs in",
                l.wrong_attempts
            ),
        ),
        None => Outcome::error(
            expected,
            tr!(
                "Chỉ gửi {} lần sai, ít hơn {max_failures}",
                "only {} wrong passwords sent, fewer than {max_failures}",
                l.wrong_attempts
            ),
        ),
    };
    o.with_evidence(evidence(run))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{Idle, Lockout, Renewal};

    fn req() -> Requirement {
        crate::checklist::Checklist::resolve("tt21-2023")
            .unwrap()
            .requirements
            .into_iter()
            .find(|r| r.id.as_str() == "SEC-5")
            .unwrap()
    }

    fn session_renewed(obs: &Observations) -> Outcome {
        super::session_renewed(&req(), obs)
    }
    fn idle_timeout(max: u64, obs: &Observations) -> Outcome {
        super::idle_timeout(&req(), max, obs)
    }
    fn login_lockout(max: u32, obs: &Observations) -> Outcome {
        super::login_lockout(&req(), max, obs)
    }

    fn obs(run: ActiveRun) -> Observations {
        Observations {
            active: Some(Box::new(ActiveRun {
                login_url: "https://dvc.mau.gov.vn/dang-nhap/mat-khau".into(),
                ..run
            })),
            ..Observations::default()
        }
    }

    #[test]
    fn sec_3_sec_4_sec_5_are_pending_with_the_reason_when_not_run() {
        let none = Observations::default();
        for o in [
            session_renewed(&none),
            idle_timeout(900, &none),
            login_lockout(5, &none),
        ] {
            assert_eq!(o.status, Status::Pending);
            assert!(
                o.message.en.contains("--active-security"),
                "{:?}",
                o.message
            );
        }
        let refused = obs(ActiveRun {
            skipped: Some(Text::new("không có tài khoản", "no test account")),
            ..ActiveRun::default()
        });
        let o = login_lockout(5, &refused);
        assert_eq!(o.status, Status::Pending);
        assert_eq!(o.message.en, "no test account");
        let failed_login = obs(ActiveRun {
            error: Some("the test account's login was refused".into()),
            ..ActiveRun::default()
        });
        assert_eq!(session_renewed(&failed_login).status, Status::Error);
        let no_idle = obs(ActiveRun::default());
        let o = idle_timeout(900, &no_idle);
        assert_eq!(o.status, Status::Pending);
        assert!(o.message.en.contains("idle-timeout-s"));
    }

    #[test]
    fn sec_3_session_fixation_fails_and_renewal_passes() {
        let run = |renewed| {
            obs(ActiveRun {
                renewal: Some(Renewal {
                    cookie_name: "dvc_session".into(),
                    issued_before: true,
                    renewed,
                }),
                ..ActiveRun::default()
            })
        };
        assert_eq!(session_renewed(&run(true)).status, Status::Pass);
        let o = session_renewed(&run(false));
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.en.contains("fixation"));
        assert_eq!(o.evidence.len(), 1);
    }

    #[test]
    fn sec_4_idle_session_must_be_refused_within_the_limit() {
        let run = |declared_s, valid, refused| {
            obs(ActiveRun {
                idle: Some(Idle {
                    declared_s,
                    waited_s: declared_s + 2,
                    valid_after_login: valid,
                    status_after_wait: if refused { 401 } else { 200 },
                    refused_after_wait: refused,
                }),
                ..ActiveRun::default()
            })
        };
        assert_eq!(
            idle_timeout(900, &run(300, true, true)).status,
            Status::Pass
        );
        assert_eq!(
            idle_timeout(900, &run(300, true, false)).status,
            Status::Fail
        );
        assert_eq!(
            idle_timeout(900, &run(1800, true, true)).status,
            Status::Fail
        );
        assert_eq!(
            idle_timeout(900, &run(300, false, true)).status,
            Status::Error
        );
    }

    #[test]
    fn sec_5_lockout_within_the_limit_passes_and_none_fails() {
        let run = |wrong, at, refused| {
            obs(ActiveRun {
                lockout: Some(Lockout {
                    wrong_attempts: wrong,
                    locked_message_at: at,
                    right_password_refused: refused,
                }),
                ..ActiveRun::default()
            })
        };
        assert_eq!(login_lockout(5, &run(5, None, true)).status, Status::Pass);
        assert_eq!(
            login_lockout(5, &run(5, Some(5), true)).status,
            Status::Pass
        );
        assert_eq!(
            login_lockout(3, &run(5, Some(5), true)).status,
            Status::Fail
        );
        assert_eq!(login_lockout(5, &run(5, None, false)).status, Status::Fail);
        assert_eq!(login_lockout(3, &run(5, None, true)).status, Status::Error);
        assert_eq!(login_lockout(5, &run(2, None, false)).status, Status::Error);
    }
}
