//! The plan of a recording, before anything is written: what kind of file ([`Container`]),
//! where ([`Target`]), in which files ([`Rollover`]), and the limits that follow from it (how
//! much data each file takes, how often its header follows). Its [`RecordingPlan::check`] refuses
//! limits no file can keep (a usage error, exit 2) and names the recording would overwrite,
//! before the device opens.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::flac;
use super::naming::{self, Target};
use crate::container::wav;
use crate::exit_codes::UsageError;
use crate::spec::{frames_in, PcmSpec};

/// What kind of file a recording is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Wav,
    Raw,
    /// Encoded as it is captured ([`super::flac`]).
    Flac,
}

impl Container {
    /// WAV unless the name ends in `.raw` or `.flac` (any case).
    pub fn from_name(path: &Path) -> Container {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("raw") => Container::Raw,
            Some(ext) if ext.eq_ignore_ascii_case("flac") => Container::Flac,
            _ => Container::Wav,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Container::Wav => "WAV",
            Container::Raw => "raw",
            Container::Flac => "FLAC",
        }
    }
}

/// How much audio may be written before the header follows. Writes are cut into pieces of at
/// most this much, so the data runs ahead of the header by less than twice this: a tenth of a
/// second of audio, however fast the data comes.
pub const HEADER_STEP: Duration = Duration::from_millis(50);

/// Limits that make a recording continue in the next file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rollover {
    /// Whole file size in bytes, header included.
    pub max_file_bytes: Option<u64>,
    /// Audio per file.
    pub max_file_time: Option<Duration>,
}

/// Everything about a recording that the writer, and the checks before the device opens, need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingPlan {
    pub target: Target,
    pub container: Container,
    /// What the device delivers (before it opens: what was asked for).
    pub spec: PcmSpec,
    pub rollover: Rollover,
    /// How long it records, where known: then the number of files is known too.
    pub duration: Option<Duration>,
    /// Overwrite existing files.
    pub force: bool,
}

impl RecordingPlan {
    /// Refuses limits no file can keep (exit 2) and names the recording would overwrite. Call it
    /// before the device opens, with the spec asked for; [`RecordingWriter::create`](super::RecordingWriter::create) checks
    /// again with the spec the device took.
    pub fn check(&self) -> Result<()> {
        let limits = FileLimits::of(self)?;
        if let (Target::File(path), false) = (&self.target, self.force) {
            naming::check_no_clobber(path, limits.last_index(self))?;
        }
        Ok(())
    }
}

/// The most data one WAV file may hold: its RIFF size field (data + header - 8) must fit 32 bits.
pub(crate) fn wav_data_limit(header_len: u64) -> u64 {
    u64::from(u32::MAX) - (header_len - 8)
}

/// How much data each file takes, and how often its header follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileLimits {
    /// Data bytes a file may hold before the next one starts (whole frames, at least one).
    pub(crate) file_data: u64,
    /// Data bytes after which the header is rewritten (whole frames, at least one).
    pub(crate) header_step: u64,
    /// FLAC: the whole size a file may reach (its header and frames), where `--max-file-size`
    /// says. FLAC's sizes are known only once encoded, so `file_data` does not count them.
    pub(crate) file_bytes: Option<u64>,
}

impl FileLimits {
    pub(crate) fn of(rec: &RecordingPlan) -> Result<FileLimits> {
        let spec = &rec.spec;
        let frame = (spec.bytes_per_frame() as u64).max(1);
        let header_len = match rec.container {
            Container::Wav => wav::header(spec, 0)?.len() as u64,
            Container::Raw => 0,
            Container::Flac => flac::HEADER_LEN,
        };
        let mut limit = match (&rec.target, rec.container) {
            // An open-ended header on a stream: nothing limits it (and nothing rolls over).
            (Target::Stdout, _) => u64::MAX,
            (Target::File(_), Container::Wav) => wav_data_limit(header_len),
            (Target::File(_), Container::Raw) => u64::MAX,
            // STREAMINFO counts a file's samples in 36 bits.
            (Target::File(_), Container::Flac) => flac::MAX_FILE_SAMPLES.saturating_mul(frame),
        };
        let mut file_bytes = None;
        if let (Some(max), Container::Flac) = (rec.rollover.max_file_bytes, rec.container) {
            // A file must take its header and the largest frame there can be.
            let least = header_len + flac::max_frame_bytes(spec);
            if max < least {
                return Err(UsageError(format!(
                    "--max-file-size {max} is too small for FLAC of {}: a file needs at least {least} bytes (its header and one frame)",
                    spec.describe()
                ))
                .into());
            }
            file_bytes = Some(max);
        } else if let Some(max) = rec.rollover.max_file_bytes {
            let least = header_len + frame;
            if max < least {
                return Err(UsageError(format!(
                    "--max-file-size {max} is too small: a file needs at least {least} bytes (its header and one frame)"
                ))
                .into());
            }
            limit = limit.min(max - header_len);
        }
        if let Some(time) = rec.rollover.max_file_time {
            let frames = frames_in(time, spec.rate);
            if frames == 0 {
                let message = if time.is_zero() {
                    "--max-file-time must be more than 0".to_string()
                } else {
                    format!(
                        "--max-file-time {} s is shorter than one frame at {} Hz",
                        time.as_secs_f64(),
                        spec.rate
                    )
                };
                return Err(UsageError(message).into());
            }
            limit = limit.min(frames.saturating_mul(frame));
        }
        let step_frames = frames_in(HEADER_STEP, spec.rate).max(1);
        Ok(FileLimits {
            file_data: (limit / frame).max(1) * frame,
            header_step: step_frames.saturating_mul(frame),
            file_bytes,
        })
    }

    /// The number of the last numbered file, where the length says it: `Some(1)` when it fits
    /// one file (which keeps its name), `None` when the length is not known.
    pub(crate) fn last_index(&self, rec: &RecordingPlan) -> Option<u32> {
        if self.file_bytes.is_some() {
            // How many files compressed audio fills is known only as it is written.
            return None;
        }
        let frame = rec.spec.bytes_per_frame() as u64;
        let total = frames_in(rec.duration?, rec.spec.rate).saturating_mul(frame);
        let files = total.div_ceil(self.file_data).max(1);
        Some(u32::try_from(files).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit_codes::{for_error, ExitCode};
    use crate::output::naming::numbered_path;
    use crate::sample::format::SampleFormat::*;

    use crate::output::test_support::{by_size, layout, recording};

    #[test]
    fn container_from_name() {
        assert_eq!(Container::from_name(Path::new("x.RAW")), Container::Raw);
        assert_eq!(Container::from_name(Path::new("x.wav")), Container::Wav);
        assert_eq!(Container::from_name(Path::new("x")), Container::Wav);
        assert_eq!(Container::from_name(Path::new("x.Flac")), Container::Flac);
    }

    #[test]
    fn standard_output_has_no_data_limit_and_files_stop_short_of_4_gib() {
        let spec = layout(S32_LE, 8);
        let stdout = recording(Target::Stdout, spec, Rollover::default());
        assert!(FileLimits::of(&stdout).unwrap().file_data >= u64::MAX - 32);
        let file = recording(Target::File("x.wav".into()), spec, Rollover::default());
        let limit = FileLimits::of(&file).unwrap().file_data;
        assert_eq!(limit % 32, 0);
        assert!(limit + 68 - 8 <= u64::from(u32::MAX) && limit + 32 + 68 - 8 > u64::from(u32::MAX));
        let raw = RecordingPlan {
            container: Container::Raw,
            ..file
        };
        assert!(FileLimits::of(&raw).unwrap().file_data >= u64::MAX - 32);
        // The header follows every 50 ms of audio at the recording's rate.
        assert_eq!(FileLimits::of(&stdout).unwrap().header_step, 2400 * 32);
    }

    #[test]
    fn flac_files_roll_over_at_36_bits_of_samples_and_check_their_size_against_a_frame() {
        let spec = layout(S24_3LE, 8);
        let flac = RecordingPlan {
            container: Container::Flac,
            ..recording(Target::File("x.flac".into()), spec, Rollover::default())
        };
        // No 4 GiB limit: STREAMINFO's 36-bit sample count is the only one.
        let limits = FileLimits::of(&flac).unwrap();
        assert_eq!(limits.file_data, ((1u64 << 36) - 1) * 24);
        assert_eq!(limits.file_bytes, None);
        let small = RecordingPlan {
            rollover: by_size(64 * 1024),
            ..flac.clone()
        };
        let err = FileLimits::of(&small).unwrap_err().to_string();
        assert!(err.contains("too small for FLAC"), "{err}");
        let sized = RecordingPlan {
            rollover: by_size(1 << 20),
            duration: Some(Duration::from_secs(60)),
            ..flac
        };
        let limits = FileLimits::of(&sized).unwrap();
        assert_eq!(limits.file_bytes, Some(1 << 20));
        // How many files compressed audio takes is not known up front.
        assert_eq!(limits.last_index(&sized), None);
    }

    #[test]
    fn a_known_length_checks_every_name_it_writes() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        std::fs::write(numbered_path(&base, 3), b"earlier").unwrap();
        // 2 s of CD-ish stereo in files of 64 KiB: 6 files.
        let mut rec = recording(
            Target::File(base.clone()),
            layout(S16_LE, 2),
            by_size(64 * 1024),
        );
        rec.duration = Some(Duration::from_secs(2));
        let err = rec.check().unwrap_err().to_string();
        assert!(
            err.contains("take-03.wav' exists") && err.contains("take-06.wav"),
            "{err}"
        );
        rec.duration = Some(Duration::from_millis(300)); // 57600 bytes: one file
        rec.check().unwrap();
        rec.force = true;
        rec.duration = Some(Duration::from_secs(2));
        rec.check().unwrap();
    }

    #[test]
    fn limits_no_file_can_keep_are_usage_errors() {
        let spec = layout(S16_LE, 2);
        let usage = |rollover| {
            let err = FileLimits::of(&recording(Target::File("x.wav".into()), spec, rollover))
                .unwrap_err();
            assert_eq!(for_error(&err), ExitCode::Usage, "{err}");
            err.to_string()
        };
        let zero = Rollover {
            max_file_bytes: None,
            max_file_time: Some(Duration::ZERO),
        };
        assert_eq!(usage(zero), "--max-file-time must be more than 0");
        let tiny = Rollover {
            max_file_bytes: None,
            max_file_time: Some(Duration::from_micros(5)),
        };
        assert!(usage(tiny).contains("shorter than one frame at 48000 Hz"));
        assert!(usage(by_size(47)).contains("at least 48 bytes"));
        let one_frame = FileLimits::of(&recording(Target::File("x.wav".into()), spec, by_size(48)));
        assert_eq!(one_frame.unwrap().file_data, 4);
    }
}
