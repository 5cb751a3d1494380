//! Finding what a stream holds: symphonia's probe (from the content alone), the audio track
//! and a decoder for it; and the everyday names of codecs and containers and the one-line
//! texts of symphonia's errors.

use std::io;

use anyhow::{anyhow, bail, Result};
use symphonia::core::codecs::audio::well_known::*;
use symphonia::core::codecs::audio::{
    AudioCodecId, AudioCodecParameters, AudioDecoder, AudioDecoderOptions,
};
use symphonia::core::codecs::CodecParameters;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, Track, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia_common::apple::audio::alac::MagicCookie;

use super::interleave::BufferKind;
use super::{guarded, DecodedSource, Tags};
use crate::error_text::io_error_text;
use crate::input::Stopped;
use crate::sample::format::SampleFormat;
use crate::spec::PcmSpec;

/// Every format `alsatool play` reads, for error messages.
pub const SUPPORTED_FORMATS: &str =
    "WAV, FLAC, Ogg Vorbis, MP3, AAC and ALAC (M4A/MP4), AIFF, AU and CAF";

/// Why probing failed: symphonia's own error (some are worth a retry), or a message.
pub(super) enum ProbeError {
    Symphonia(SymphoniaError),
    Other(anyhow::Error),
}

impl ProbeError {
    pub(super) fn into_anyhow(self) -> anyhow::Error {
        match self {
            ProbeError::Other(e) => e,
            ProbeError::Symphonia(SymphoniaError::IoError(e)) if Stopped::is_in(&e) => {
                Stopped.into()
            }
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
pub(super) fn probe(
    source: Box<dyn MediaSource>,
) -> std::result::Result<DecodedSource, ProbeError> {
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
        stopped: false,
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

/// The most channels a decoded stream may have, as the WAV and AU parsers allow.
pub(super) const MAX_CHANNELS: usize = 1024;

/// The most bytes one packet may decode to. symphonia sizes its buffers from the header's
/// channels and frames per packet, so a header that lies would have it allocate gigabytes; real
/// files need at most a few MiB (8 channels of FLAC's largest blocks: 2 MiB).
pub(super) const MAX_PACKET_BYTES: u64 = 16 << 20;

/// The bytes `frames` frames of `channels` channels take in symphonia's buffers of `codec`
/// (8 bytes a sample for 64-bit float, at most 4 for everything else).
pub(super) fn packet_bytes(codec: AudioCodecId, frames: u64, channels: usize) -> u64 {
    let sample = if codec == CODEC_ID_PCM_F64LE || codec == CODEC_ID_PCM_F64BE {
        8
    } else {
        4
    };
    frames
        .saturating_mul(channels as u64)
        .saturating_mul(sample)
}

/// Refuses codec parameters whose buffers would be unreasonably large (a damaged or hostile
/// header), before symphonia allocates them.
fn check_limits(params: &AudioCodecParameters) -> Result<()> {
    let channels = params.channels.as_ref().map_or(0, |c| c.count());
    if channels > MAX_CHANNELS {
        bail!("the header says {channels} channels (at most {MAX_CHANNELS} are supported)");
    }
    if let Some(frames) = params.max_frames_per_packet {
        let bytes = packet_bytes(params.codec, frames, channels.max(1));
        if bytes > MAX_PACKET_BYTES {
            bail!(
                "the header says packets of {frames} frames of {} channels, {} MiB each \
                 (at most {} MiB are supported); the file is damaged",
                channels.max(1),
                bytes >> 20,
                MAX_PACKET_BYTES >> 20
            );
        }
    }
    Ok(())
}

pub(super) fn make_decoder(track: &Track) -> Result<(Box<dyn AudioDecoder>, AudioCodecId)> {
    let Some(CodecParameters::Audio(params)) = &track.codec_params else {
        bail!("the track has no audio codec parameters");
    };
    let codec = params.codec;
    check_limits(params)?;
    // Gapless: the decoders trim encoder delay and padding where the container signals them.
    let options = AudioDecoderOptions::default().gapless(true);
    let made = guarded("starting the decoder", || {
        symphonia::default::get_codecs().make_audio_decoder(params, &options)
    })
    .map_err(|panic| anyhow!("{panic}"))?;
    let decoder = made.map_err(|e| match e {
        SymphoniaError::Unsupported(_) => anyhow::Error::new(Unsupported(codec)),
        other => anyhow!("cannot decode its audio: {}", describe_error(&other)),
    })?;
    Ok((decoder, codec))
}

/// Significant bits per decoded sample. ALAC's decoder leaves them out of its parameters: they
/// are in its magic cookie, read here with the parser the decoder itself uses.
pub(super) fn significant_bits(params: &AudioCodecParameters) -> Option<u32> {
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

pub(super) fn unknown_format() -> anyhow::Error {
    anyhow!(
        "not a format alsatool can play (it plays {SUPPORTED_FORMATS}); \
         for headerless audio give -t raw with -f FORMAT -c CHANNELS -r RATE"
    )
}

pub(super) fn unsupported_codec(codec: AudioCodecId, container: &str) -> anyhow::Error {
    let name = codec_name(codec);
    let what = if name == "unknown" {
        format!("an audio codec alsatool cannot decode ({codec})")
    } else {
        format!("{name} audio, which alsatool cannot decode")
    };
    anyhow!("this {container} file holds {what}; it plays {SUPPORTED_FORMATS}")
}

/// Whether an error only spoils one packet (decoding goes on with the next).
pub(super) fn is_packet_error(e: &SymphoniaError) -> bool {
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
pub(super) fn stream_break(e: &SymphoniaError) -> String {
    match e {
        SymphoniaError::IoError(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "the file ends in the middle of a packet (truncated?)".to_string()
        }
        other => format!("decoding stopped: {}", describe_error(other)),
    }
}

pub(super) fn describe_error(e: &SymphoniaError) -> String {
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

pub(super) fn is_lossless(codec: AudioCodecId) -> bool {
    codec == CODEC_ID_FLAC || codec == CODEC_ID_ALAC || pcm_codec(codec)
}

pub(super) fn pcm_codec(codec: AudioCodecId) -> bool {
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
pub(super) fn codec_name(codec: AudioCodecId) -> &'static str {
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
pub(super) fn container_name(short_name: &str) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An AIFF of one 16-bit frame (70 bytes with 16 data bytes) whose COMM chunk says `channels`.
    fn lying_aiff(channels: u16) -> Vec<u8> {
        let mut comm = channels.to_be_bytes().to_vec();
        comm.extend_from_slice(&1u32.to_be_bytes()); // frames
        comm.extend_from_slice(&16u16.to_be_bytes()); // bits
        comm.extend_from_slice(&[0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]); // 44100 Hz, 80-bit
        let mut ssnd = vec![0u8; 8]; // offset and block size
        ssnd.extend_from_slice(&[0u8; 16]);
        let mut body = b"AIFF".to_vec();
        for (id, chunk) in [(b"COMM", &comm), (b"SSND", &ssnd)] {
            body.extend_from_slice(id);
            body.extend_from_slice(&(chunk.len() as u32).to_be_bytes());
            body.extend_from_slice(chunk);
        }
        let mut file = b"FORM".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_be_bytes());
        file.extend_from_slice(&body);
        file
    }

    /// A CAF of linear PCM whose description says `channels` and `frames_per_packet`.
    fn lying_caf(channels: u32, frames_per_packet: u32, bytes_per_packet: u32) -> Vec<u8> {
        let mut desc = 44100f64.to_be_bytes().to_vec();
        desc.extend_from_slice(b"lpcm");
        for word in [0, bytes_per_packet, frames_per_packet, channels, 16] {
            desc.extend_from_slice(&word.to_be_bytes());
        }
        let mut data = vec![0u8; 4]; // edit count
        data.extend_from_slice(&[0u8; 32]);
        let mut file = b"caff\0\x01\0\0".to_vec();
        for (id, chunk) in [(b"desc", &desc), (b"data", &data)] {
            file.extend_from_slice(id);
            file.extend_from_slice(&(chunk.len() as u64).to_be_bytes());
            file.extend_from_slice(chunk);
        }
        file
    }

    #[test]
    fn headers_that_claim_huge_buffers_are_refused_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |name: &str, bytes: &[u8], fragment: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let err = format!("{:#}", DecodedSource::open(&path).err().expect(name));
            assert!(!err.contains('\n'), "{err}");
            assert!(err.contains(fragment), "{name}: {err:?} lacks {fragment:?}");
        };
        let aiff = lying_aiff(65535);
        assert_eq!(aiff.len(), 70);
        // symphonia's frame size overflows for 65535 channels: a caught panic in debug builds, the
        // channel cap in release ones. Either way an error, and no 300 MB buffer.
        let fragment = if cfg!(debug_assertions) {
            "overflow"
        } else {
            "65535 channels"
        };
        refused("65535.aiff", &aiff, fragment);
        refused(
            "2000.aiff",
            &lying_aiff(2000),
            "2000 channels (at most 1024",
        );
        refused(
            "huge_packets.caf",
            &lying_caf(2, 100_000_000, 400_000_000),
            "at most 16 MiB",
        );
        // The same layouts, told the truth, decode.
        let path = dir.path().join("true.aiff");
        std::fs::write(&path, lying_aiff(2)).unwrap();
        assert_eq!(DecodedSource::open(&path).unwrap().spec.channels, 2);
        let path = dir.path().join("true.caf");
        std::fs::write(&path, lying_caf(2, 1, 4)).unwrap();
        assert_eq!(DecodedSource::open(&path).unwrap().spec.channels, 2);
    }
}
