//! Lab page-load metrics computed from what a browser recorded: Speed Index from the frames
//! painted during a load, CLS from the layout-shift entries. Pure functions, no I/O: the
//! browser probe records, these compute, so a computation can be tested on synthetic input and
//! repeated on stored input.
//!
//! The definitions are the tools' own (`shared/MEASUREMENT.md`): speedline 1.x, as Lighthouse
//! calls it, for Speed Index; web-vitals' session windows for CLS.

pub mod cls;
pub mod speed_index;
