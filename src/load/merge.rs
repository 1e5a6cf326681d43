//! Merging the segments of one load run (`kiemdinh load merge DIR...`): histograms add
//! exactly, counters sum, and a run with a segment missing, duplicated or belonging to another
//! run is refused — a partial load must never be judged as if it were the whole.
//!
//! The merged [`Segment`] has `index` 0 and `of` = the number of segments merged: index 0
//! means "the merge of all `of` segments" (a single process is segment 1 of 1).
//! [`super::summary::summarise`] reads it like any segment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::segment::{SEGMENT_FORMAT, Segment, StepRecord};
use crate::observation::{JourneyStats, LoadWarning};

/// Why segments cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no segment to merge")]
    Empty,
    /// A segment written in another file format.
    #[error(
        "segment {index} has format {found}, this kiemdinh reads format {SEGMENT_FORMAT} \
         (it was written by kiemdinh {tool_version})"
    )]
    Format {
        /// The segment's index.
        index: u32,
        /// Its format.
        found: u32,
        /// The version that wrote it.
        tool_version: String,
    },
    /// A segment whose index is not within `1..=of`.
    #[error("segment index {index} is not within 1..={of}")]
    Index {
        /// The index.
        index: u32,
        /// Segments in the run.
        of: u32,
    },
    /// Two segments disagree on a property of the run: they are not parts of the same run.
    #[error(
        "segment {index} has {field} `{found}` where segment {first} has `{expected}`: \
         they are not parts of the same run"
    )]
    Disagree {
        /// The property (`of`, `target`, `mode`, `target_users`, `target_active_share`).
        field: &'static str,
        /// The segment that disagrees.
        index: u32,
        /// Its value.
        found: String,
        /// The segment it is compared with.
        first: u32,
        /// That segment's value.
        expected: String,
    },
    /// The same index twice.
    #[error("segment {index} of {of} appears twice: merging it twice would count its load twice")]
    Duplicate {
        /// The index.
        index: u32,
        /// Segments in the run.
        of: u32,
    },
    /// Some segments are absent.
    #[error(
        "{} of {of} {} missing: a partial load must not be judged",
        listed(missing),
        if missing.len() == 1 { "is" } else { "are" }
    )]
    Missing {
        /// The absent indices, ascending.
        missing: Vec<u32>,
        /// Segments in the run.
        of: u32,
    },
    /// A file or directory could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a segment.
    #[error("`{}` is not a load segment file: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A directory holds no segment.
    #[error("`{}` holds no `segment-*.json` file", path.display())]
    NoSegments {
        /// The directory.
        path: PathBuf,
    },
}

/// `segment 2`, `segments 2, 4`.
fn listed(missing: &[u32]) -> String {
    let ids: Vec<String> = missing.iter().map(u32::to_string).collect();
    let noun = if ids.len() == 1 {
        "segment"
    } else {
        "segments"
    };
    format!("{noun} {}", ids.join(", "))
}

/// Warnings computed from the counters by [`super::summary::summarise`]: per-segment copies
/// are dropped from a merge (the summed counters carry them).
pub(crate) fn is_derived(w: &LoadWarning) -> bool {
    matches!(
        w,
        LoadWarning::CoordinatedOmission { .. }
            | LoadWarning::ArrivalsDropped { .. }
            | LoadWarning::UsersShort { .. }
    )
}

/// Checks that every segment belongs to the same run and that the run is complete.
fn check(segments: &[Segment]) -> Result<(), MergeError> {
    let first = segments.first().ok_or(MergeError::Empty)?;
    let mut seen = BTreeSet::new();
    for s in segments {
        if s.format != SEGMENT_FORMAT {
            return Err(MergeError::Format {
                index: s.index,
                found: s.format,
                tool_version: s.tool_version.clone(),
            });
        }
        let fields = [
            ("of", s.of.to_string(), first.of.to_string()),
            ("target", s.target.clone(), first.target.clone()),
            ("mode", format!("{:?}", s.mode), format!("{:?}", first.mode)),
            (
                "target_users",
                s.target_users.to_string(),
                first.target_users.to_string(),
            ),
            (
                "target_active_share",
                s.target_active_share.to_string(),
                first.target_active_share.to_string(),
            ),
        ];
        for (field, found, expected) in fields {
            if found != expected {
                return Err(MergeError::Disagree {
                    field,
                    index: s.index,
                    found,
                    first: first.index,
                    expected,
                });
            }
        }
        if s.index == 0 || s.index > s.of {
            return Err(MergeError::Index {
                index: s.index,
                of: s.of,
            });
        }
        if !seen.insert(s.index) {
            return Err(MergeError::Duplicate {
                index: s.index,
                of: s.of,
            });
        }
    }
    let missing: Vec<u32> = (1..=first.of).filter(|i| !seen.contains(i)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MergeError::Missing {
            missing,
            of: first.of,
        })
    }
}

fn push_unique(into: &mut Vec<LoadWarning>, w: &LoadWarning) {
    if !is_derived(w) && !into.contains(w) {
        into.push(w.clone());
    }
}

/// The earliest (`min`) or latest non-empty RFC 3339 UTC time; such strings order as text.
fn pick_time(a: String, b: &str, earliest: bool) -> String {
    if a.is_empty() || (!b.is_empty() && (b < a.as_str()) == earliest) {
        b.to_string()
    } else {
        a
    }
}

/// Merges every segment of one run into one (index 0, `of` = N: see the module docs).
///
/// Refuses an empty list, another file format, segments of different runs (`of`, `target`,
/// `mode`, `target_users`, `target_active_share`), an index twice and a missing index.
/// Histograms are merged exactly; counters and users summed; `measured_s` is the longest;
/// steps merge by (journey, step) and journeys by name, in first-seen order (segments taken
/// by index); warnings are the union (the ones derived from counters are recomputed when
/// summarising); `started_at` is the earliest, `finished_at` the latest.
pub fn merge(mut segments: Vec<Segment>) -> Result<Segment, MergeError> {
    check(&segments)?;
    segments.sort_by_key(|s| s.index);
    let mut it = segments.into_iter();
    let mut out = it.next().ok_or(MergeError::Empty)?;
    let of = out.of;
    let mut warnings = Vec::new();
    for w in &out.warnings {
        push_unique(&mut warnings, w);
    }
    for s in it {
        out.planned_users += s.planned_users;
        out.users += s.users;
        out.active_users += s.active_users;
        out.measured_s = out.measured_s.max(s.measured_s);
        out.requests += s.requests;
        out.errors += s.errors;
        out.overall.merge(&s.overall);
        for step in s.steps {
            merge_step(&mut out.steps, step);
        }
        for j in s.journeys {
            merge_journey(&mut out.journeys, j);
        }
        for (k, v) in s.errors_by_status {
            *out.errors_by_status.entry(k).or_default() += v;
        }
        for (k, v) in s.errors_by_kind {
            *out.errors_by_kind.entry(k).or_default() += v;
        }
        out.late_requests += s.late_requests;
        out.worst_delay_us = out.worst_delay_us.max(s.worst_delay_us);
        out.dropped_arrivals += s.dropped_arrivals;
        for w in &s.warnings {
            push_unique(&mut warnings, w);
        }
        out.started_at = pick_time(out.started_at, &s.started_at, true);
        out.finished_at = pick_time(out.finished_at, &s.finished_at, false);
    }
    out.index = 0;
    out.of = of;
    out.warnings = warnings;
    Ok(out)
}

fn merge_step(steps: &mut Vec<StepRecord>, step: StepRecord) {
    match steps
        .iter_mut()
        .find(|s| s.journey == step.journey && s.step == step.step)
    {
        Some(s) => {
            s.requests += step.requests;
            s.errors += step.errors;
            s.hist.merge(&step.hist);
        }
        None => steps.push(step),
    }
}

fn merge_journey(journeys: &mut Vec<JourneyStats>, j: JourneyStats) {
    match journeys.iter_mut().find(|x| x.name == j.name) {
        Some(x) => {
            x.transactional |= j.transactional;
            x.users += j.users;
            x.completed += j.completed;
            x.failed += j.failed;
        }
        None => journeys.push(j),
    }
}

/// Reads one segment file.
pub fn read_file(path: &Path) -> Result<Segment, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| MergeError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Whether a file name is a segment's (`segment-*.json`).
fn is_segment_name(name: &str) -> bool {
    name.starts_with("segment-")
        && Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads every `segment-*.json` in each directory (in name order; a file argument is read
/// as is). A directory without any segment is an error, as is any unreadable or invalid
/// file: the error names it.
pub fn read_dirs(dirs: &[PathBuf]) -> Result<Vec<Segment>, MergeError> {
    let mut out = Vec::new();
    for dir in dirs {
        let read_err = |source| MergeError::Read {
            path: dir.clone(),
            source,
        };
        if !std::fs::metadata(dir).map_err(read_err)?.is_dir() {
            out.push(read_file(dir)?);
            continue;
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_err)? {
            let entry = entry.map_err(read_err)?;
            let path = entry.path();
            if path.is_file()
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_segment_name)
            {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Err(MergeError::NoSegments { path: dir.clone() });
        }
        files.sort();
        for f in files {
            out.push(read_file(&f)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
