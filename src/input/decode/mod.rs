//! Decoding the formats WAV and AU are not: FLAC, Ogg Vorbis, MP3, AAC and ALAC (M4A/MP4), AIFF
//! and CAF, through symphonia, into interleaved PCM bytes with a known format.
//!
//! The container is found from the content (symphonia's probe), never from the file name. The
//! output keeps the file's own precision so that lossless files play bit-perfect: 16-bit
//! samples come out as S16_LE, 24-bit as S24_3LE (three bytes: nothing added, nothing lost),
//! 8-bit as S8, 32-bit as S32_LE, float PCM as FLOAT_LE or FLOAT64_LE; lossy codecs (MP3, AAC,
//! Vorbis), whose decoders compute in float, come out as FLOAT_LE, unrounded.
//!
//! Damage never ends in a panic or a hang: a packet that does not decode is skipped (and
//! counted), a stream that ends early or breaks for good ends the audio there, and either is
//! reported by [`DecodedSource::error`] once what did decode has been handed out. Panics inside
//! symphonia (its README admits some streams may cause them) are caught and become the same
//! kind of error. Memory stays bounded: a header claiming more than 1024 channels or packets of
//! more than 16 MiB is refused before symphonia allocates for it. A stream read that Ctrl-C cut
//! short ends decoding with [`Stopped`], not as damage.
//!
//! Here: [`DecodedSource`] and its [`PcmSource`] side (reading, skipping, seeking). The rest:
//! [`probe`] finds the format and makes the decoder (and names codecs and errors), [`packets`]
//! runs the packet loop, [`interleave`] turns symphonia's planar buffers into frames.

use std::cell::Cell;
use std::fs::File;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, bail, Result};
use symphonia::core::codecs::audio::well_known::*;
use symphonia::core::codecs::audio::{AudioCodecId, AudioDecoder};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatReader, SeekMode, SeekTo};
use symphonia::core::io::{MediaSource, ReadOnlySource};
use symphonia::core::meta::{MetadataRevision, StandardTag};
use symphonia::core::units::{Time, TimeBase};

use crate::input::Stopped;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;
use interleave::BufferKind;
use probe::{codec_name, is_lossless, probe, ProbeError};

pub use probe::SUPPORTED_FORMATS;

pub mod mp4_edit;

mod interleave;
mod packets;
mod probe;

#[cfg(test)]
mod tests;

/// Title and artist from the file's tags (Vorbis comments, ID3, MP4 atoms, …), when present.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags {
    pub title: Option<String>,
    pub artist: Option<String>,
}

impl Tags {
    /// "Artist – Title", "Title", or `None` when the file has neither.
    pub fn display(&self) -> Option<String> {
        match (&self.artist, &self.title) {
            (Some(artist), Some(title)) => Some(format!("{artist} – {title}")),
            (None, Some(title)) => Some(title.clone()),
            (Some(artist), None) => Some(artist.clone()),
            (None, None) => None,
        }
    }
}

/// PCM decoded from a FLAC, Ogg Vorbis, MP3, AAC, ALAC, AIFF or CAF stream, handed out in whole
/// frames of [`PcmSpec`]. Memory stays at about one packet whatever the length.
///
/// Positions inside are counted in *stream frames*: frames as the decoder produces them from
/// the first packet on (the container's timestamps count the same way). Presentation starts
/// `lead` stream frames in (an M4A's encoder priming) and stops at `end` when the container
/// says where; positions handed to the caller count from that start.
pub struct DecodedSource {
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    time_base: Option<TimeBase>,
    spec: PcmSpec,
    /// Which symphonia buffer type the decoder produces; a change mid-stream ends it.
    kind: BufferKind,
    /// Whether the first buffer has fixed `spec` and `kind`.
    started: bool,
    codec: AudioCodecId,
    container: &'static str,
    tags: Tags,
    /// Playable frames in the stream, when the container says.
    total_frames: Option<u64>,
    /// Stream frames before presentation starts, and where it ends.
    lead: u64,
    end: Option<u64>,
    /// Decoded bytes not yet handed out, from `pending_at`.
    pending: Vec<u8>,
    pending_at: usize,
    /// The stream frame just past the last one decoded (kept or dropped).
    decoded_to: u64,
    /// After a seek: the stream frame to drop everything before.
    seek_floor: Option<u64>,
    /// The most frames one packet has held: how far short of the stated length a stream may
    /// end without being called truncated (some containers count the last packet in full).
    largest_packet: u64,
    /// Whether the stream ended (or broke); nothing more is decoded.
    ended: bool,
    /// What ended the stream early, if anything did.
    fatal: Option<String>,
    /// Whether a read of the stream gave up because of the stop flag (Ctrl-C): reads and skips
    /// then fail with [`Stopped`].
    stopped: bool,
    /// Packets that did not decode and were skipped, and why the first one did not.
    bad_packets: u64,
    first_bad: Option<String>,
    bad_in_a_row: u32,
    /// Where the container's timestamps say the next packet starts (in frames, signed: MP3's
    /// encoder delay comes before 0). A later start means packets were lost, which the
    /// readers of FLAC and Ogg do silently when they resynchronise past damage.
    expected_pts: Option<i128>,
    /// Frames lost that way, and where the first loss was.
    lost_frames: u64,
    first_loss: Option<String>,
}

impl DecodedSource {
    /// Opens the file at `path`, probes its format from its content, and decodes its first
    /// packet (so the layout is known and a file that does not decode at all fails here).
    pub fn open(path: &Path) -> Result<DecodedSource> {
        let open = || super::open_for_reading(path).map(|(file, _)| file);
        let mut source = match probe(Box::new(open()?)) {
            Ok(source) => source,
            // Some readers look past the audio data for more chunks when the file is seekable
            // (AIFF, CAF, Ogg's length): a truncated file fails there. Read it as a stream,
            // which they do not look past, to play what is there.
            Err(ProbeError::Symphonia(SymphoniaError::IoError(e)))
                if e.kind() == io::ErrorKind::UnexpectedEof =>
            {
                let stream = ReadOnlySource::new(open()?);
                probe(Box::new(stream)).map_err(|_| {
                    anyhow!("the file is cut short (truncated?) and nothing in it can be decoded")
                })?
            }
            Err(e) => return Err(e.into_anyhow()),
        };
        if source.codec == CODEC_ID_AAC && source.container == "MP4" {
            if let Ok(mut file) = File::open(path) {
                if let Some(edit) = mp4_edit::read_edit(
                    &mut io::BufReader::new(&mut file),
                    source.track_id,
                    source.codec_rate(),
                ) {
                    source.lead = edit.skip_frames;
                    source.end = Some(edit.skip_frames + edit.play_frames);
                    source.total_frames = Some(edit.play_frames);
                }
            }
        }
        if let Err(e) = source.start() {
            if source.container == "MP4" {
                let cut = File::open(path)
                    .ok()
                    .is_some_and(|mut f| mp4_edit::is_cut_short(&mut io::BufReader::new(&mut f)));
                if cut {
                    bail!(
                        "this MP4/M4A file is cut short (truncated?): its audio data runs past \
                         the end of the file, and a cut MP4 cannot be played"
                    );
                }
            }
            return Err(e);
        }
        Ok(source)
    }

    /// Probes `source`, a stream that cannot seek (standard input, wrapped in symphonia's
    /// `ReadOnlySource`), for its format from its content alone, and decodes its first packet.
    pub fn new(source: Box<dyn MediaSource>) -> Result<DecodedSource> {
        let mut source = probe(source).map_err(|e| match e {
            ProbeError::Symphonia(SymphoniaError::IoError(e))
                if e.kind() == io::ErrorKind::UnexpectedEof =>
            {
                anyhow!(
                    "the stream ends inside its header (truncated? CAF files cannot be played \
                     from a pipe: give the file's name)"
                )
            }
            ProbeError::Symphonia(SymphoniaError::Unsupported(what))
                if what.contains("missing moov") =>
            {
                anyhow!(
                    "this MP4/M4A keeps its index (moov atom) at the end, which cannot be \
                     reached through a pipe: give the file's name"
                )
            }
            e => e.into_anyhow(),
        })?;
        source.start()?;
        Ok(source)
    }

    /// Title and artist from the file's tags.
    pub fn tags(&self) -> &Tags {
        &self.tags
    }

    /// Whether the codec is lossless (FLAC, ALAC, PCM): the bytes handed out are then exactly
    /// the samples the file holds.
    pub fn is_lossless(&self) -> bool {
        is_lossless(self.codec)
    }

    /// "FLAC", "Vorbis in Ogg", "AAC in MP4", "PCM in AIFF", … for `-v` and the status line.
    pub fn format_name(&self) -> String {
        let codec = codec_name(self.codec);
        if codec == self.container {
            codec.to_string()
        } else {
            format!("{codec} in {}", self.container)
        }
    }

    /// Playable frames in the whole stream, when the container says.
    pub fn total_frames(&self) -> Option<u64> {
        self.total_frames
    }

    /// The frame (counted from the start of the audio) the next byte handed out belongs to.
    pub fn position(&self) -> u64 {
        let stream_frame = match self.seek_floor {
            Some(floor) => floor,
            None => {
                let frame = self.spec.bytes_per_frame().max(1);
                let pending_frames = ((self.pending.len() - self.pending_at) / frame) as u64;
                self.decoded_to - pending_frames
            }
        };
        stream_frame.saturating_sub(self.lead)
    }

    /// What ended the stream early or was skipped on the way, for the caller to report once
    /// everything that decoded has been played; `None` for a clean stream.
    pub fn error(&self) -> Option<String> {
        let mut damage = Vec::new();
        if self.bad_packets > 0 {
            damage.push(format!(
                "{} damaged packet{} could not be decoded and {} skipped ({})",
                self.bad_packets,
                if self.bad_packets == 1 { "" } else { "s" },
                if self.bad_packets == 1 { "was" } else { "were" },
                self.first_bad.as_deref().unwrap_or("no detail")
            ));
        }
        if self.lost_frames > 0 {
            damage.push(format!(
                "damaged data was skipped: {} s of audio missing, {}",
                seconds(self.lost_frames, self.spec.rate),
                self.first_loss.as_deref().unwrap_or("")
            ));
        }
        let damage = (!damage.is_empty()).then(|| damage.join("; "));
        match (&self.fatal, damage) {
            (Some(fatal), Some(damage)) => Some(format!("{fatal}; before that, {damage}")),
            (Some(fatal), None) => Some(fatal.clone()),
            (None, damage) => damage,
        }
    }

    /// Seeks the reader so that decoding resumes at presentation frame `target`; false where
    /// the stream cannot seek.
    fn seek_to(&mut self, target: u64) -> bool {
        let stream_target = target + self.lead;
        // MDCT codecs need the packets before the target to rebuild their overlap (and MP3
        // its bit reservoir): seek a little earlier and drop what decodes before the target.
        let preroll = match self.codec {
            c if c == CODEC_ID_MP3 => 4 * 1152,
            c if c == CODEC_ID_AAC => 2 * 1024,
            _ => 0,
        };
        let seek_frame = stream_target.saturating_sub(preroll);
        let rate = u64::from(self.spec.rate);
        let Some(time) = Time::try_new(
            (seek_frame / rate) as i64,
            ((seek_frame % rate) * 1_000_000_000 / rate) as u32,
        ) else {
            return false;
        };
        let track_id = self.track_id;
        let reader = &mut self.reader;
        let seeked = guarded("seeking", || {
            reader.seek(
                SeekMode::Accurate,
                SeekTo::Time {
                    time,
                    track_id: Some(track_id),
                },
            )
        });
        match seeked {
            Ok(Ok(_)) => {
                self.decoder.reset();
                self.pending.clear();
                self.pending_at = 0;
                self.seek_floor = Some(stream_target);
                self.ended = false;
                self.expected_pts = None;
                true
            }
            Ok(Err(_)) => false,
            Err(panic) => {
                self.stop(panic);
                false
            }
        }
    }

    fn read_tags(&mut self) {
        let mut tags = Tags::default();
        let mut metadata = self.reader.metadata();
        // Revisions come oldest first (an ID3v2 tag before the container's own tags): later
        // ones win.
        while let Some(old) = metadata.pop() {
            collect_tags(&old, self.track_id, &mut tags);
        }
        if let Some(current) = metadata.current() {
            collect_tags(current, self.track_id, &mut tags);
        }
        self.tags = tags;
    }
}

impl PcmSource for DecodedSource {
    fn spec(&self) -> PcmSpec {
        self.spec
    }

    /// Frames from the current position to the end, when the container says how many.
    fn frames_left(&self) -> Option<u64> {
        self.total_frames
            .map(|total| total.saturating_sub(self.position()))
    }

    /// Fills the start of `buf` with whole frames and returns how many bytes it wrote (at most
    /// `buf.len()` rounded down to whole frames). Returns 0 only at the end of the stream,
    /// which is also where it ends when it breaks: see [`DecodedSource::error`].
    fn read_frames(&mut self, buf: &mut [u8]) -> Result<usize> {
        let frame = self.spec.bytes_per_frame();
        let want = buf.len() / frame * frame;
        let mut done = 0;
        while done < want {
            if self.pending_at == self.pending.len() && !self.decode_next() {
                break;
            }
            let available = &self.pending[self.pending_at..];
            let n = available.len().min(want - done);
            buf[done..done + n].copy_from_slice(&available[..n]);
            self.pending_at += n;
            done += n;
        }
        if self.stopped {
            return Err(Stopped.into());
        }
        Ok(done)
    }

    /// Moves `frames` frames forward, seeking in the file where the container allows (a
    /// compressed file is then decoded only from the packet before the target, not from the
    /// start) and decoding the rest of the way otherwise (a pipe). Returns how many frames were
    /// skipped (fewer at the end of the stream).
    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
        if self.stopped {
            return Err(Stopped.into());
        }
        let start = self.position();
        if frames == 0 || self.ended && self.pending_at == self.pending.len() {
            return Ok(0);
        }
        let target = start.saturating_add(frames);
        // The stated length, unless decoding has already gone past it (a length some headers
        // only estimate): then the end is wherever the stream ends.
        if let Some(total) = self.total_frames.filter(|&total| total > start) {
            if target >= total {
                // To the end: nothing to decode (and some readers seek badly to the very end).
                self.pending.clear();
                self.pending_at = 0;
                self.seek_floor = None;
                self.ended = true;
                self.decoded_to = total + self.lead;
                return Ok(total - start);
            }
        }
        let remaining_in_pending = {
            let frame = self.spec.bytes_per_frame();
            ((self.pending.len() - self.pending_at) / frame) as u64
        };
        // Within what is decoded already: no need to touch the file.
        if target - start <= remaining_in_pending || !self.seek_to(target) {
            let frame = self.spec.bytes_per_frame();
            let mut scratch = vec![0u8; (64 * 1024 / frame).max(1) * frame];
            let mut left = target - start;
            while left > 0 {
                let ask = (left * frame as u64).min(scratch.len() as u64) as usize;
                let got = self.read_frames(&mut scratch[..ask])?;
                if got == 0 {
                    break;
                }
                left -= (got / frame) as u64;
            }
        } else if !self.decode_next() {
            // Decode up to the target now, so that a stream ending before it says so.
            self.seek_floor = None;
        }
        Ok(self.position().saturating_sub(start))
    }
}

/// Frames as seconds with one decimal, for messages.
fn seconds(frames: u64, rate: u32) -> String {
    format!("{:.1}", frames as f64 / f64::from(rate.max(1)))
}

/// Takes title and artist from one metadata revision's media-wide and per-track tags.
fn collect_tags(revision: &MetadataRevision, track_id: u32, tags: &mut Tags) {
    let per_track = revision
        .per_track
        .iter()
        .filter(|t| t.track_id == u64::from(track_id))
        .flat_map(|t| t.metadata.tags.iter());
    for tag in revision.media.tags.iter().chain(per_track) {
        let clean = |s: &str| {
            let s = s.trim_matches(|c: char| c.is_whitespace() || c == '\0');
            (!s.is_empty()).then(|| s.chars().filter(|c| !c.is_control()).collect::<String>())
        };
        match &tag.std {
            Some(StandardTag::TrackTitle(title)) => {
                if let Some(title) = clean(title) {
                    tags.title = Some(title);
                }
            }
            Some(StandardTag::Artist(artist)) => {
                if let Some(artist) = clean(artist) {
                    tags.artist = Some(artist);
                }
            }
            _ => {}
        }
    }
}

thread_local! {
    /// Set while symphonia runs on this thread: its panics are caught and reported as errors,
    /// so the panic hook must not print them.
    static IN_SYMPHONIA: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (a call into symphonia), turning a panic into an error message about `doing`.
fn guarded<T>(doing: &str, f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_SYMPHONIA.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_SYMPHONIA.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_SYMPHONIA.with(|c| c.set(false));
    result.map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("the decoder failed while {doing} (damaged file?): {detail}")
    })
}
