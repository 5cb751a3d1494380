//! The packet loop: reading packets from the container, decoding them, keeping the part of
//! each buffer that is presented (after an M4A's priming, after a seek target, before the
//! container's end), and counting what is damaged or lost on the way.

use anyhow::{anyhow, bail, Result};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::TrackType;
use symphonia::core::packet::Packet;
use symphonia::core::units::Timestamp;

use super::interleave::{append_interleaved, BufferKind};
use super::probe::{
    codec_name, describe_error, is_packet_error, make_decoder, packet_bytes, significant_bits,
    stream_break, MAX_CHANNELS, MAX_PACKET_BYTES,
};
use super::{guarded, DecodedSource};
use crate::input::Stopped;
use crate::spec::PcmSpec;

/// Packets in a row that fail to decode before the stream is given up as broken.
const MAX_BAD_PACKETS_IN_A_ROW: u32 = 16;

/// What the container gave next.
enum Next {
    Packet(Packet),
    /// Nothing to decode, but the stream goes on (a chained Ogg stream restarted).
    Again,
    /// The end, a break, or a stop.
    Done,
}

/// What one decoded packet holds, read off its buffer before the buffer is borrowed again.
pub(super) struct Shape {
    kind: BufferKind,
    rate: u32,
    channels: usize,
    frames: usize,
}

impl DecodedSource {
    /// Decodes up to the first audio, which fixes the layout; fails when there is none.
    pub(super) fn start(&mut self) -> Result<()> {
        self.read_tags();
        if self.decode_next() {
            return Ok(());
        }
        if self.stopped {
            return Err(Stopped.into());
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
    pub(super) fn decode_next(&mut self) -> bool {
        self.pending.clear();
        self.pending_at = 0;
        while !self.ended {
            if self.past_the_end() {
                self.ended = true;
                break;
            }
            let packet = match self.next_packet() {
                Next::Packet(packet) => packet,
                Next::Again => continue,
                Next::Done => break,
            };
            if packet.track_id != self.track_id {
                continue;
            }
            self.check_continuity(packet.pts, packet.block_dur());
            let first = match self.seek_floor {
                Some(_) => self.frame_of(packet.pts),
                None => self.decoded_to,
            };
            // None: a packet skipped as damaged, or the end of a broken stream (`ended`).
            let Some(shape) = self.decode(&packet) else {
                continue;
            };
            if shape.frames == 0 {
                continue;
            }
            if let Err(why) = self.check_shape(&shape) {
                self.stop(why);
                break;
            }
            self.largest_packet = self.largest_packet.max(shape.frames as u64);
            if self.keep(first, shape.frames as u64) {
                return true;
            }
        }
        false
    }

    /// Whether decoding has reached the end the container gave (outside a seek).
    fn past_the_end(&self) -> bool {
        self.end
            .is_some_and(|end| self.seek_floor.is_none() && self.decoded_to >= end)
    }

    /// The next packet from the container; at the end, a break or a stop, `Done`.
    fn next_packet(&mut self) -> Next {
        let reader = &mut self.reader;
        match guarded("reading the file", || reader.next_packet()) {
            Ok(Ok(Some(packet))) => Next::Packet(packet),
            Ok(Ok(None)) => {
                self.end_of_stream();
                Next::Done
            }
            Ok(Err(SymphoniaError::ResetRequired)) => {
                // A chained Ogg stream: a new logical stream starts. Go on if it has the same
                // layout (the next buffer is checked like any other).
                if let Err(e) = self.restart_decoder() {
                    self.stop(e.to_string());
                }
                Next::Again
            }
            Ok(Err(SymphoniaError::IoError(e))) if Stopped::is_in(&e) => {
                // Ctrl-C while a stream was waited for: not damage, nothing to report.
                self.stopped = true;
                self.ended = true;
                Next::Done
            }
            Ok(Err(e)) => {
                self.stop(stream_break(&e));
                Next::Done
            }
            Err(panic) => {
                self.stop(panic);
                Next::Done
            }
        }
    }

    /// Decodes one packet, noting a damaged one (and giving up after too many in a row).
    fn decode(&mut self, packet: &Packet) -> Option<Shape> {
        let decoder = &mut self.decoder;
        let decoded = guarded("decoding", || {
            decoder.decode(packet).map(|buf| Shape {
                kind: BufferKind::of(&buf),
                rate: buf.spec().rate(),
                channels: buf.spec().channels().count(),
                frames: buf.frames(),
            })
        });
        match decoded {
            Ok(Ok(shape)) => {
                self.bad_in_a_row = 0;
                Some(shape)
            }
            Ok(Err(e)) if is_packet_error(&e) => {
                self.note_bad_packet(&e);
                if self.bad_in_a_row >= MAX_BAD_PACKETS_IN_A_ROW {
                    self.stop(format!(
                        "the stream is damaged beyond repair after {} ({})",
                        self.clock_at(self.decoded_to),
                        describe_error(&e)
                    ));
                }
                None
            }
            Ok(Err(e)) => {
                self.stop(stream_break(&e));
                None
            }
            Err(panic) => {
                self.stop(panic);
                None
            }
        }
    }

    /// Appends the part of the decoded buffer (`frames` frames from stream frame `first`) that
    /// is presented: after the lead (priming), after a seek target, before the end. False when
    /// none of it is.
    fn keep(&mut self, first: u64, frames: u64) -> bool {
        let buf_end = first + frames;
        let floor = self.lead.max(self.seek_floor.unwrap_or(0));
        let ceiling = self.end.unwrap_or(u64::MAX);
        let from = floor.max(first);
        let to = buf_end.min(ceiling);
        if to <= from {
            self.decoded_to = buf_end;
            if first >= ceiling {
                self.ended = true;
            }
            return false;
        }
        self.seek_floor = None;
        self.decoded_to = to;
        let buf = self.decoder.last_decoded();
        let skip = (from - first) as usize;
        let take = (to - from) as usize;
        append_interleaved(&buf, self.spec.format, skip, take, &mut self.pending);
        true
    }

    /// Fixes the layout from the first buffer; refuses a later one that differs from it.
    pub(super) fn check_shape(&mut self, shape: &Shape) -> std::result::Result<(), String> {
        if shape.channels == 0 || shape.rate == 0 {
            return Err(format!(
                "the stream says {} channels at {} Hz",
                shape.channels, shape.rate
            ));
        }
        if shape.channels > MAX_CHANNELS {
            return Err(format!(
                "the stream says {} channels (at most {MAX_CHANNELS} are supported)",
                shape.channels
            ));
        }
        let bytes = packet_bytes(self.codec, shape.frames as u64, shape.channels);
        if bytes > MAX_PACKET_BYTES {
            return Err(format!(
                "a packet of {} frames of {} channels ({} MiB) is more than the {} MiB \
                 alsatool decodes at once; the file is damaged",
                shape.frames,
                shape.channels,
                bytes >> 20,
                MAX_PACKET_BYTES >> 20
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
    pub(super) fn codec_rate(&self) -> u32 {
        self.decoder.codec_params().sample_rate.unwrap_or(0)
    }

    /// The stream frame a timestamp of the track stands for (0 for those before the start).
    pub(super) fn frame_of(&self, ts: Timestamp) -> u64 {
        self.ts_frames(ts.get()).clamp(0, i128::from(u64::MAX)) as u64
    }

    /// Rebuilds the decoder for the default track after the reader asked for a reset.
    pub(super) fn restart_decoder(&mut self) -> Result<()> {
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
    pub(super) fn check_continuity(
        &mut self,
        pts: Timestamp,
        block: symphonia::core::units::Duration,
    ) {
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
    pub(super) fn ts_frames(&self, ts: i64) -> i128 {
        match self.time_base {
            Some(tb) => {
                i128::from(ts) * i128::from(tb.numer.get()) * i128::from(self.codec_or_spec_rate())
                    / i128::from(tb.denom.get())
            }
            None => i128::from(ts),
        }
    }

    /// The rate for time conversions: the decoded one once known, the stated one before.
    pub(super) fn codec_or_spec_rate(&self) -> u32 {
        if self.started {
            self.spec.rate
        } else {
            self.codec_rate().max(1)
        }
    }

    pub(super) fn note_bad_packet(&mut self, e: &SymphoniaError) {
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
    pub(super) fn end_of_stream(&mut self) {
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

    pub(super) fn stop(&mut self, why: String) {
        self.ended = true;
        self.seek_floor = None;
        if self.fatal.is_none() {
            self.fatal = Some(why);
        }
    }

    /// A frame position as "m:ss.s" for messages.
    pub(super) fn clock_at(&self, frame: u64) -> String {
        let rate = u64::from(self.spec.rate.max(1));
        let tenths = frame * 10 / rate;
        let (minutes, tenths) = (tenths / 600, tenths % 600);
        format!("{minutes}:{:02}.{}", tenths / 10, tenths % 10)
    }
}
