//! Where recordings go: WAV, FLAC and raw files or standard output, kept valid on disk whatever ends
//! the recording.
//!
//! - [`plan`]: what a recording writes where ([`RecordingPlan`], [`Container`], [`Rollover`]), the
//!   limits that follow, and the checks before the device opens;
//! - [`writer`]: the [`RecordingWriter`] (write, checkpoint, finish, rollover);
//! - [`naming`]: the [`Target`], numbered file names, no-clobber checks, creating files;
//! - [`syncer`]: the `fdatasync` thread;
//! - [`flac`]: the FLAC encoder and the STREAMINFO a FLAC recording keeps.
//!
//! `writer` uses the other three, `plan` uses `naming`; nothing uses `writer`'s insides.

pub mod flac;
pub mod naming;
pub mod plan;
pub mod syncer;
pub mod writer;

pub use naming::Target;
pub use plan::{Container, RecordingPlan, Rollover};
pub use writer::{RecordingWriter, Written};
