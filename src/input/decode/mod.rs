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
//! kind of error.

use std::cell::Cell;
use std::fs::File;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, bail, Result};
use symphonia::core::audio::sample::{i24, u24, Sample};
use symphonia::core::audio::{Audio, AudioBuffer, GenericAudioBufferRef};
use symphonia::core::codecs::audio::well_known::*;
use symphonia::core::codecs::audio::{
    AudioCodecId, AudioCodecParameters, AudioDecoder, AudioDecoderOptions,
};
use symphonia::core::codecs::CodecParameters;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo, Track, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream, ReadOnlySource};
use symphonia::core::meta::{MetadataOptions, MetadataRevision, StandardTag};
use symphonia::core::units::{Time, TimeBase, Timestamp};
use symphonia_common::apple::audio::alac::MagicCookie;

use crate::error_text::io_error_text;
use crate::sample::format::SampleFormat;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// Every format `alsatool play` reads, for error messages.
pub const SUPPORTED_FORMATS: &str =
    "WAV, FLAC, Ogg Vorbis, MP3, AAC and ALAC (M4A/MP4), AIFF, AU and CAF";

/// Packets in a row that fail to decode before the stream is given up as broken.
const MAX_BAD_PACKETS_IN_A_ROW: u32 = 16;

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

/// The sample type of the buffers a decoder produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BufferKind {
    U8,
    U16,
    U24,
    U32,
    S8,
    S16,
    S24,
    S32,
    F32,
    F64,
}

impl BufferKind {
    fn of(buf: &GenericAudioBufferRef<'_>) -> BufferKind {
        match buf {
            GenericAudioBufferRef::U8(_) => BufferKind::U8,
            GenericAudioBufferRef::U16(_) => BufferKind::U16,
            GenericAudioBufferRef::U24(_) => BufferKind::U24,
            GenericAudioBufferRef::U32(_) => BufferKind::U32,
            GenericAudioBufferRef::S8(_) => BufferKind::S8,
            GenericAudioBufferRef::S16(_) => BufferKind::S16,
            GenericAudioBufferRef::S24(_) => BufferKind::S24,
            GenericAudioBufferRef::S32(_) => BufferKind::S32,
            GenericAudioBufferRef::F32(_) => BufferKind::F32,
            GenericAudioBufferRef::F64(_) => BufferKind::F64,
        }
    }

    /// The ALSA format that holds this buffer type's samples exactly and in the fewest bytes.
    /// `bits` is the decoder's significant bits per sample: FLAC and ALAC decode every depth
    /// into left-justified 32-bit integers, whose low bytes are then zero and are left out.
    fn output_format(self, bits: Option<u32>) -> SampleFormat {
        match self {
            BufferKind::U8 => SampleFormat::U8,
            BufferKind::U16 => SampleFormat::U16_LE,
            BufferKind::U24 => SampleFormat::U24_3LE,
            BufferKind::U32 => SampleFormat::U32_LE,
            BufferKind::S8 => SampleFormat::S8,
            BufferKind::S16 => SampleFormat::S16_LE,
            BufferKind::S24 => SampleFormat::S24_3LE,
            BufferKind::S32 => match bits {
                Some(1..=8) => SampleFormat::S8,
                Some(9..=16) => SampleFormat::S16_LE,
                Some(17..=24) => SampleFormat::S24_3LE,
                _ => SampleFormat::S32_LE,
            },
            BufferKind::F32 => SampleFormat::FLOAT_LE,
            BufferKind::F64 => SampleFormat::FLOAT64_LE,
        }
    }
}

/// What one decoded packet holds, read off its buffer before the buffer is borrowed again.
struct Shape {
    kind: BufferKind,
    rate: u32,
    channels: usize,
    frames: usize,
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

    /// Decodes up to the first audio, which fixes the layout; fails when there is none.
    fn start(&mut self) -> Result<()> {
        self.read_tags();
        if self.decode_next() {
            return Ok(());
        }
        match self.fatal.take() {
            Some(fatal) if self.started => bail!("{fatal}"),
            Some(fatal) => bail!("no audio could be decoded: {fatal}"),
            None if self.bad_packets > 0 => bail!(
                "no audio could be decoded: {}",
                self.first_bad.as_deref().unwrap_or("damaged data")
            ),
            None => bail!("it holds no audio"),
        }
    }

    /// Decodes packets until one yields frames to hand out; false at the end (or a break).
    fn decode_next(&mut self) -> bool {
        self.pending.clear();
        self.pending_at = 0;
        while !self.ended {
            if self
                .end
                .is_some_and(|end| self.seek_floor.is_none() && self.decoded_to >= end)
            {
                self.ended = true;
                break;
            }
            let reader = &mut self.reader;
            let packet = match guarded("reading the file", || reader.next_packet()) {
                Ok(Ok(Some(packet))) => packet,
                Ok(Ok(None)) => {
                    self.end_of_stream();
                    break;
                }
                Ok(Err(SymphoniaError::ResetRequired)) => {
                    // A chained Ogg stream: a new logical stream starts. Go on if it has the
                    // same layout (the next buffer is checked like any other).
                    if let Err(e) = self.restart_decoder() {
                        self.stop(e.to_string());
                    }
                    continue;
                }
                Ok(Err(e)) => {
                    self.stop(stream_break(&e));
                    break;
                }
                Err(panic) => {
                    self.stop(panic);
                    break;
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            self.check_continuity(packet.pts, packet.block_dur());
            let first = match self.seek_floor {
                Some(_) => self.frame_of(packet.pts),
                None => self.decoded_to,
            };
            let decoder = &mut self.decoder;
            let decoded = guarded("decoding", || {
                decoder.decode(&packet).map(|buf| Shape {
                    kind: BufferKind::of(&buf),
                    rate: buf.spec().rate(),
                    channels: buf.spec().channels().count(),
                    frames: buf.frames(),
                })
            });
            let shape = match decoded {
                Ok(Ok(shape)) => shape,
                Ok(Err(e)) if is_packet_error(&e) => {
                    self.note_bad_packet(&e);
                    if self.bad_in_a_row >= MAX_BAD_PACKETS_IN_A_ROW {
                        self.stop(format!(
                            "the stream is damaged beyond repair after {} ({})",
                            self.clock_at(self.decoded_to),
                            describe_error(&e)
                        ));
                    }
                    continue;
                }
                Ok(Err(e)) => {
                    self.stop(stream_break(&e));
                    break;
                }
                Err(panic) => {
                    self.stop(panic);
                    break;
                }
            };
            self.bad_in_a_row = 0;
            if shape.frames == 0 {
                continue;
            }
            if let Err(why) = self.check_shape(&shape) {
                self.stop(why);
                break;
            }
            self.largest_packet = self.largest_packet.max(shape.frames as u64);
            // Keep the part of the buffer inside [floor, ceiling): after the lead (priming),
            // after a seek target, before the end.
            let buf_end = first + shape.frames as u64;
            let floor = self.lead.max(self.seek_floor.unwrap_or(0));
            let ceiling = self.end.unwrap_or(u64::MAX);
            let from = floor.max(first);
            let to = buf_end.min(ceiling);
            if to <= from {
                self.decoded_to = buf_end;
                if first >= ceiling {
                    self.ended = true;
                }
                continue;
            }
            self.seek_floor = None;
            self.decoded_to = to;
            let buf = self.decoder.last_decoded();
            let skip = (from - first) as usize;
            let take = (to - from) as usize;
            append_interleaved(&buf, self.spec.format, skip, take, &mut self.pending);
            return true;
        }
        false
    }

    /// Fixes the layout from the first buffer; refuses a later one that differs from it.
    fn check_shape(&mut self, shape: &Shape) -> std::result::Result<(), String> {
        if shape.channels == 0 || shape.rate == 0 {
            return Err(format!(
                "the stream says {} channels at {} Hz",
                shape.channels, shape.rate
            ));
        }
        let spec = PcmSpec {
            format: shape
                .kind
                .output_format(significant_bits(self.decoder.codec_params())),
            channels: shape.channels as u32,
            rate: shape.rate,
        };
        if !self.started {
            self.started = true;
            self.kind = shape.kind;
            self.spec = spec;
            return Ok(());
        }
        if shape.kind != self.kind || spec != self.spec {
            return Err(format!(
                "the stream changes from {} to {} after {}; alsatool plays a file in one format",
                self.spec.describe(),
                spec.describe(),
                self.clock_at(self.decoded_to.saturating_sub(self.lead))
            ));
        }
        Ok(())
    }

    /// The sample rate the codec parameters state (before anything is decoded).
    fn codec_rate(&self) -> u32 {
        self.decoder.codec_params().sample_rate.unwrap_or(0)
    }

    /// The stream frame a timestamp of the track stands for (0 for those before the start).
    fn frame_of(&self, ts: Timestamp) -> u64 {
        self.ts_frames(ts.get()).clamp(0, i128::from(u64::MAX)) as u64
    }

    /// Rebuilds the decoder for the default track after the reader asked for a reset.
    fn restart_decoder(&mut self) -> Result<()> {
        let track = self
            .reader
            .default_track(TrackType::Audio)
            .ok_or_else(|| anyhow!("a chained stream has no audio track"))?
            .clone();
        let (decoder, codec) = make_decoder(&track)?;
        if codec != self.codec {
            bail!(
                "the stream changes from {} to {} audio; alsatool plays a file in one format",
                codec_name(self.codec),
                codec_name(codec)
            );
        }
        self.decoder = decoder;
        self.track_id = track.id;
        self.time_base = track.time_base;
        // The length said at the start was for the first stream only.
        self.total_frames = None;
        Ok(())
    }

    /// Notes a packet that starts later than the previous one ended (see `expected_pts`).
    fn check_continuity(&mut self, pts: Timestamp, block: symphonia::core::units::Duration) {
        let start = self.ts_frames(pts.get());
        let block = self.ts_frames(i64::try_from(block.get()).unwrap_or(i64::MAX));
        if self.seek_floor.is_none() {
            if let Some(expected) = self.expected_pts {
                // A frame of slack for time bases that are not 1/rate.
                let gap = start - expected;
                if gap > 1 {
                    let gap = u64::try_from(gap).unwrap_or(u64::MAX);
                    if self.first_loss.is_none() {
                        self.first_loss = Some(format!(
                            "the first gap at {}",
                            self.clock_at(self.decoded_to.saturating_sub(self.lead))
                        ));
                    }
                    self.lost_frames = self.lost_frames.saturating_add(gap);
                }
            }
        }
        self.expected_pts = Some(start + block);
    }

    /// Frames in `ts` units of the track's time base (signed).
    fn ts_frames(&self, ts: i64) -> i128 {
        match self.time_base {
            Some(tb) => {
                i128::from(ts) * i128::from(tb.numer.get()) * i128::from(self.codec_or_spec_rate())
                    / i128::from(tb.denom.get())
            }
            None => i128::from(ts),
        }
    }

    /// The rate for time conversions: the decoded one once known, the stated one before.
    fn codec_or_spec_rate(&self) -> u32 {
        if self.started {
            self.spec.rate
        } else {
            self.codec_rate().max(1)
        }
    }

    fn note_bad_packet(&mut self, e: &SymphoniaError) {
        self.bad_packets += 1;
        self.bad_in_a_row += 1;
        if self.first_bad.is_none() {
            self.first_bad = Some(format!(
                "the first at {}: {}",
                self.clock_at(self.decoded_to.saturating_sub(self.lead)),
                describe_error(e)
            ));
        }
    }

    /// The stream ended. Says so when it ended clearly before the length its header gave.
    fn end_of_stream(&mut self) {
        self.ended = true;
        self.seek_floor = None;
        let played = self.decoded_to.saturating_sub(self.lead);
        if let Some(total) = self.total_frames {
            let damage_known = self.bad_packets > 0 || self.lost_frames > 0;
            if played + self.largest_packet < total && self.fatal.is_none() && !damage_known {
                self.fatal = Some(format!(
                    "only {} of {} could be decoded: the file is damaged or truncated",
                    self.clock_at(played),
                    self.clock_at(total)
                ));
            }
        }
    }

    fn stop(&mut self, why: String) {
        self.ended = true;
        self.seek_floor = None;
        if self.fatal.is_none() {
            self.fatal = Some(why);
        }
    }

    /// A frame position as "m:ss.s" for messages.
    fn clock_at(&self, frame: u64) -> String {
        let rate = u64::from(self.spec.rate.max(1));
        let tenths = frame * 10 / rate;
        let (minutes, tenths) = (tenths / 600, tenths % 600);
        format!("{minutes}:{:02}.{}", tenths / 10, tenths % 10)
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
        Ok(done)
    }

    /// Moves `frames` frames forward, seeking in the file where the container allows (a
    /// compressed file is then decoded only from the packet before the target, not from the
    /// start) and decoding the rest of the way otherwise (a pipe). Returns how many frames were
    /// skipped (fewer at the end of the stream).
    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
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

/// Why probing failed: symphonia's own error (some are worth a retry), or a message.
enum ProbeError {
    Symphonia(SymphoniaError),
    Other(anyhow::Error),
}

impl ProbeError {
    fn into_anyhow(self) -> anyhow::Error {
        match self {
            ProbeError::Other(e) => e,
            ProbeError::Symphonia(SymphoniaError::Unsupported(what))
                if what.starts_with("core (probe)") =>
            {
                unknown_format()
            }
            ProbeError::Symphonia(SymphoniaError::Unsupported(what))
                if what.contains("missing moov") =>
            {
                anyhow!(
                    "this MP4/M4A file has no index (moov atom): it was cut short or is still \
                     being written, and nothing in it can be played"
                )
            }
            ProbeError::Symphonia(e) => anyhow!("cannot read its header: {}", describe_error(&e)),
        }
    }
}

/// Probes the stream, picks its audio track and makes a decoder for it; decodes nothing yet.
fn probe(source: Box<dyn MediaSource>) -> std::result::Result<DecodedSource, ProbeError> {
    let stream = MediaSourceStream::new(source, Default::default());
    // No hint: the content alone decides.
    let probed = guarded("reading the file", || {
        symphonia::default::get_probe().probe(
            &Hint::new(),
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
    });
    let reader = match probed {
        Ok(Ok(reader)) => reader,
        Ok(Err(e)) => return Err(ProbeError::Symphonia(e)),
        Err(panic) => return Err(ProbeError::Other(anyhow!("{panic}"))),
    };
    let container = container_name(reader.format_info().short_name);
    let track = match reader.default_track(TrackType::Audio) {
        Some(track) => track.clone(),
        None => {
            // A track of a codec symphonia does not know is not "known", but is there.
            let codec = reader.tracks().iter().find_map(|t| match &t.codec_params {
                Some(CodecParameters::Audio(p)) => Some(p.codec),
                _ => None,
            });
            return Err(ProbeError::Other(match codec {
                Some(codec) => unsupported_codec(codec, container),
                None => anyhow!("this {container} file has no audio track"),
            }));
        }
    };
    let (decoder, codec) = make_decoder(&track).map_err(|e| {
        ProbeError::Other(match e.downcast::<Unsupported>() {
            Ok(Unsupported(codec)) => unsupported_codec(codec, container),
            Err(e) => e,
        })
    })?;
    Ok(DecodedSource {
        reader,
        decoder,
        track_id: track.id,
        time_base: track.time_base,
        // Placeholders until the first buffer says what comes out.
        spec: PcmSpec {
            format: SampleFormat::S16_LE,
            channels: 1,
            rate: 1,
        },
        kind: BufferKind::S16,
        started: false,
        codec,
        container,
        tags: Tags::default(),
        total_frames: track.num_frames,
        lead: 0,
        end: None,
        pending: Vec::new(),
        pending_at: 0,
        decoded_to: 0,
        seek_floor: None,
        largest_packet: 0,
        ended: false,
        fatal: None,
        bad_packets: 0,
        first_bad: None,
        bad_in_a_row: 0,
        expected_pts: None,
        lost_frames: 0,
        first_loss: None,
    })
}

/// A codec symphonia recognised in the container but has no decoder for.
#[derive(Debug)]
struct Unsupported(AudioCodecId);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported codec {}", self.0)
    }
}

impl std::error::Error for Unsupported {}

fn make_decoder(track: &Track) -> Result<(Box<dyn AudioDecoder>, AudioCodecId)> {
    let Some(CodecParameters::Audio(params)) = &track.codec_params else {
        bail!("the track has no audio codec parameters");
    };
    let codec = params.codec;
    // Gapless: the decoders trim encoder delay and padding where the container signals them.
    let options = AudioDecoderOptions::default().gapless(true);
    let decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &options)
        .map_err(|e| match e {
            SymphoniaError::Unsupported(_) => anyhow::Error::new(Unsupported(codec)),
            other => anyhow!("cannot decode its audio: {}", describe_error(&other)),
        })?;
    Ok((decoder, codec))
}

/// Significant bits per decoded sample. ALAC's decoder leaves them out of its parameters: they
/// are in its magic cookie, read here with the parser the decoder itself uses.
fn significant_bits(params: &AudioCodecParameters) -> Option<u32> {
    match params.bits_per_sample {
        Some(bits) if bits > 0 => Some(bits),
        _ if params.codec == CODEC_ID_ALAC => params
            .extra_data
            .as_deref()
            .and_then(|cookie| MagicCookie::read(cookie).ok())
            .map(|cookie| u32::from(cookie.bit_depth)),
        _ => None,
    }
}

fn unknown_format() -> anyhow::Error {
    anyhow!(
        "not a format alsatool can play (it plays {SUPPORTED_FORMATS}); \
         for headerless audio give -t raw with -f FORMAT -c CHANNELS -r RATE"
    )
}

fn unsupported_codec(codec: AudioCodecId, container: &str) -> anyhow::Error {
    let name = codec_name(codec);
    let what = if name == "unknown" {
        format!("an audio codec alsatool cannot decode ({codec})")
    } else {
        format!("{name} audio, which alsatool cannot decode")
    };
    anyhow!("this {container} file holds {what}; it plays {SUPPORTED_FORMATS}")
}

/// Whether an error only spoils one packet (decoding goes on with the next).
fn is_packet_error(e: &SymphoniaError) -> bool {
    // A damaged AAC packet can claim a feature the decoder lacks (a program config element):
    // once the stream has opened, that is damage to skip like any other, not the end.
    matches!(
        e,
        SymphoniaError::DecodeError(_)
            | SymphoniaError::IoError(_)
            | SymphoniaError::Unsupported(_)
    )
}

/// The message for an error that ends the stream.
fn stream_break(e: &SymphoniaError) -> String {
    match e {
        SymphoniaError::IoError(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "the file ends in the middle of a packet (truncated?)".to_string()
        }
        other => format!("decoding stopped: {}", describe_error(other)),
    }
}

fn describe_error(e: &SymphoniaError) -> String {
    match e {
        SymphoniaError::IoError(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "the file ends early (truncated?)".to_string()
        }
        SymphoniaError::IoError(io) => format!("cannot read it: {}", io_error_text(io)),
        SymphoniaError::DecodeError(what) => format!("damaged data ({what})"),
        SymphoniaError::Unsupported(what) => format!("unsupported feature ({what})"),
        SymphoniaError::LimitError(what) => format!("a limit was reached ({what})"),
        SymphoniaError::SeekError(_) => "cannot seek in it".to_string(),
        SymphoniaError::ResetRequired => "the stream changes format".to_string(),
        other => other.to_string(),
    }
}

fn is_lossless(codec: AudioCodecId) -> bool {
    codec == CODEC_ID_FLAC || codec == CODEC_ID_ALAC || pcm_codec(codec)
}

fn pcm_codec(codec: AudioCodecId) -> bool {
    [
        CODEC_ID_PCM_S32LE,
        CODEC_ID_PCM_S32BE,
        CODEC_ID_PCM_S24LE,
        CODEC_ID_PCM_S24BE,
        CODEC_ID_PCM_S16LE,
        CODEC_ID_PCM_S16BE,
        CODEC_ID_PCM_S8,
        CODEC_ID_PCM_U32LE,
        CODEC_ID_PCM_U32BE,
        CODEC_ID_PCM_U24LE,
        CODEC_ID_PCM_U24BE,
        CODEC_ID_PCM_U16LE,
        CODEC_ID_PCM_U16BE,
        CODEC_ID_PCM_U8,
        CODEC_ID_PCM_F32LE,
        CODEC_ID_PCM_F32BE,
        CODEC_ID_PCM_F64LE,
        CODEC_ID_PCM_F64BE,
        CODEC_ID_PCM_ALAW,
        CODEC_ID_PCM_MULAW,
    ]
    .contains(&codec)
}

/// A codec's everyday name ("unknown" for ones symphonia has no name for).
fn codec_name(codec: AudioCodecId) -> &'static str {
    match codec {
        c if c == CODEC_ID_FLAC => "FLAC",
        c if c == CODEC_ID_ALAC => "ALAC",
        c if c == CODEC_ID_VORBIS => "Vorbis",
        c if c == CODEC_ID_OPUS => "Opus",
        c if c == CODEC_ID_SPEEX => "Speex",
        c if c == CODEC_ID_MP1 => "MP1",
        c if c == CODEC_ID_MP2 => "MP2",
        c if c == CODEC_ID_MP3 => "MP3",
        c if c == CODEC_ID_AAC => "AAC",
        c if c == CODEC_ID_AC3 => "AC-3",
        c if c == CODEC_ID_EAC3 => "E-AC-3",
        c if c == CODEC_ID_DCA => "DTS",
        c if c == CODEC_ID_WMA => "WMA",
        c if c == CODEC_ID_WAVPACK => "WavPack",
        c if c == CODEC_ID_MONKEYS_AUDIO => "Monkey's Audio",
        c if c == CODEC_ID_TTA => "TTA",
        c if c == CODEC_ID_TRUEHD => "TrueHD",
        c if c == CODEC_ID_PCM_ALAW => "A-law",
        c if c == CODEC_ID_PCM_MULAW => "µ-law",
        c if pcm_codec(c) => "PCM",
        _ => "unknown",
    }
}

/// A container's everyday name from symphonia's short name.
fn container_name(short_name: &str) -> &'static str {
    match short_name {
        "flac" => "FLAC",
        "ogg" => "Ogg",
        "mp1" => "MP1",
        "mp2" => "MP2",
        "mp3" => "MP3",
        "aac" => "AAC",
        "isomp4" => "MP4",
        "aiff" => "AIFF",
        "caf" => "CAF",
        "wave" => "WAV",
        "mkv" => "Matroska",
        _ => "media",
    }
}

/// Appends `take` frames of `buf` from frame `skip` on to `out`, interleaved, as `format` (one the
/// buffer's [`BufferKind::output_format`] chose, so every sample fits exactly).
fn append_interleaved(
    buf: &GenericAudioBufferRef<'_>,
    format: SampleFormat,
    skip: usize,
    take: usize,
    out: &mut Vec<u8>,
) {
    use SampleFormat as F;
    match (buf, format) {
        (GenericAudioBufferRef::U8(b), _) => interleave(b, skip, take, out, |s: u8| [s]),
        (GenericAudioBufferRef::S8(b), _) => {
            interleave(b, skip, take, out, |s: i8| s.to_le_bytes())
        }
        (GenericAudioBufferRef::U16(b), _) => {
            interleave(b, skip, take, out, |s: u16| s.to_le_bytes())
        }
        (GenericAudioBufferRef::S16(b), _) => {
            interleave(b, skip, take, out, |s: i16| s.to_le_bytes())
        }
        (GenericAudioBufferRef::U24(b), _) => interleave(b, skip, take, out, |s: u24| {
            let [b0, b1, b2, _] = s.inner().to_le_bytes();
            [b0, b1, b2]
        }),
        (GenericAudioBufferRef::S24(b), _) => interleave(b, skip, take, out, |s: i24| {
            let [b0, b1, b2, _] = s.inner().to_le_bytes();
            [b0, b1, b2]
        }),
        (GenericAudioBufferRef::U32(b), _) => {
            interleave(b, skip, take, out, |s: u32| s.to_le_bytes())
        }
        // Left-justified: the significant bytes are the high ones.
        (GenericAudioBufferRef::S32(b), F::S8) => {
            interleave(b, skip, take, out, |s: i32| [s.to_le_bytes()[3]])
        }
        (GenericAudioBufferRef::S32(b), F::S16_LE) => interleave(b, skip, take, out, |s: i32| {
            let [_, _, b2, b3] = s.to_le_bytes();
            [b2, b3]
        }),
        (GenericAudioBufferRef::S32(b), F::S24_3LE) => interleave(b, skip, take, out, |s: i32| {
            let [_, b1, b2, b3] = s.to_le_bytes();
            [b1, b2, b3]
        }),
        (GenericAudioBufferRef::S32(b), _) => {
            interleave(b, skip, take, out, |s: i32| s.to_le_bytes())
        }
        (GenericAudioBufferRef::F32(b), _) => {
            interleave(b, skip, take, out, |s: f32| s.to_le_bytes())
        }
        (GenericAudioBufferRef::F64(b), _) => {
            interleave(b, skip, take, out, |s: f64| s.to_le_bytes())
        }
    }
}

/// Interleaves `take` frames of the planes of `buf` from frame `skip` on, each sample as
/// `encode` writes it.
fn interleave<S: Sample, const N: usize>(
    buf: &AudioBuffer<S>,
    skip: usize,
    take: usize,
    out: &mut Vec<u8>,
    encode: impl Fn(S) -> [u8; N],
) {
    let skip = skip.min(buf.frames());
    let frames = take.min(buf.frames() - skip);
    let planes: Vec<&[S]> = (0..buf.num_planes())
        .filter_map(|i| buf.plane(i))
        .map(|p| &p[skip..skip + frames])
        .collect();
    let channels = planes.len();
    let start = out.len();
    out.resize(start + frames * channels * N, 0);
    let dst = &mut out[start..];
    match planes.as_slice() {
        // The common cases without an inner loop.
        [mono] => {
            for (d, &s) in dst.chunks_exact_mut(N).zip(mono.iter()) {
                d.copy_from_slice(&encode(s));
            }
        }
        [left, right] => {
            for ((d, &l), &r) in dst
                .chunks_exact_mut(2 * N)
                .zip(left.iter())
                .zip(right.iter())
            {
                d[..N].copy_from_slice(&encode(l));
                d[N..].copy_from_slice(&encode(r));
            }
        }
        _ => {
            for (f, d) in dst.chunks_exact_mut(channels * N).enumerate() {
                for (c, plane) in planes.iter().enumerate() {
                    d[c * N..(c + 1) * N].copy_from_slice(&encode(plane[f]));
                }
            }
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

pub mod mp4_edit;

#[cfg(test)]
mod tests;
