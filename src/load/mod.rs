//! Load figures, pure: exact latency histograms ([`hist`]), what one load process writes
//! ([`segment`]), merging segments and summarising them into a [`crate::observation::LoadRun`].
//! The engine that sends the load is `probe::load`; the judges read only the summary.

pub mod capacity;
pub mod hist;
pub mod merge;
pub mod segment;
pub mod summary;

pub use hist::Hist;
pub use merge::{MergeError, merge, read_dirs};
pub use segment::{SEGMENT_FORMAT, Segment, StepRecord};
pub use summary::summarise;
