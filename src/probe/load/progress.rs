//! The live line on a terminal while load runs: users, requests per second, p95 and errors.
//! Hidden when stderr is not a terminal (indicatif's own rule) and under `CI`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::record::Recorder;

/// The running line; [`Live::finish`] clears it.
pub struct Live {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts the line for a run planned to last `plan`.
pub fn spawn(recorder: Arc<Recorder>, plan: Duration) -> Live {
    let (stop, mut stopped) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let bar = if std::env::var_os("CI").is_some() {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(plan.as_secs()), ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:20}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let started = Instant::now();
        let (mut last_sent, mut last_at) = (recorder.sent(), Instant::now());
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                () = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            let (p95, requests, errors) = recorder.snapshot();
            let sent = recorder.sent();
            let rps = (sent - last_sent) as f64 / last_at.elapsed().as_secs_f64().max(1e-3);
            (last_sent, last_at) = (sent, Instant::now());
            bar.set_position(started.elapsed().as_secs());
            bar.set_message(format!(
                "{} users · {rps:.0} req/s · p95 {p95:.1} ms · {errors}/{requests} errors",
                recorder.active()
            ));
        }
        bar.finish_and_clear();
    });
    Live { stop, task }
}

impl Live {
    /// Stops and clears the line.
    pub async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
