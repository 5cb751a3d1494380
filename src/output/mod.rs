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

/// What the output tests share: a stereo 48 kHz spec, a plan, and a file that cannot be synced.
#[cfg(test)]
pub(crate) mod test_support {
    use std::fs::File;
    use std::path::Path;

    use super::{Container, RecordingPlan, Rollover, Target};
    use crate::sample::format::SampleFormat;
    use crate::spec::PcmSpec;

    pub(crate) fn layout(format: SampleFormat, channels: u32) -> PcmSpec {
        PcmSpec {
            format,
            channels,
            rate: 48000,
        }
    }

    pub(crate) fn recording(target: Target, spec: PcmSpec, rollover: Rollover) -> RecordingPlan {
        RecordingPlan {
            target,
            container: Container::Wav,
            spec,
            rollover,
            duration: None,
            force: false,
        }
    }

    pub(crate) fn by_size(bytes: u64) -> Rollover {
        Rollover {
            max_file_bytes: Some(bytes),
            max_file_time: None,
        }
    }

    /// A descriptor that refuses `fdatasync` (EBADF): what a write-back error looks like here.
    pub(crate) fn unsyncable(path: &Path) -> File {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_PATH)
            .open(path)
            .unwrap()
    }
}
