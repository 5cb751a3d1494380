//! The edit list of an MP4/M4A audio track: how many decoded frames at the start are encoder
//! priming and how many frames the track really plays.
//!
//! AAC encoders prepend priming frames (1024 or 2112) and pad the last packet; the `elst` box
//! says what to cut. symphonia reads the box but does not apply it, so without this an M4A
//! starts with ~25 ms of near-silence and ends with padding: a gap between tracks of a gapless
//! album. The box is small and found by walking the box tree: `moov` → `trak` → `edts` →
//! `elst`, with `mvhd` and `mdhd` giving the time scales and `tkhd` the track id. Reads are
//! bounded and every size is checked, so a hostile file yields `None`, never a long loop.

use std::io::{Read, Seek, SeekFrom};

/// What the edit list says, in frames at the track's sample rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Decoded frames to drop at the start (encoder priming).
    pub skip_frames: u64,
    /// Frames to play after those.
    pub play_frames: u64,
}

/// The most boxes looked at before giving up (a real file has a few dozen).
const MAX_BOXES: u32 = 10_000;
/// The largest box body read into memory (`moov` of an audio file is well under this).
const MAX_MOOV_BYTES: u64 = 64 << 20;

/// Reads the edit of the audio track `track_id` (the `tkhd` id; the first audio track when no
/// track has that id). `None` when there is no edit list, or one alsatool does not apply (more
/// than one segment that plays media, a rate other than 1, sizes that do not add up).
pub fn read_edit(file: &mut (impl Read + Seek), track_id: u32, sample_rate: u32) -> Option<Edit> {
    let moov = find_top_level_moov(file)?;
    let movie_timescale = child(&moov, b"mvhd").and_then(parse_mvhd)?;
    let mut first_audio = None;
    let mut chosen = None;
    for trak in children(&moov).filter(|(kind, _)| kind == b"trak") {
        let trak = trak.1;
        let Some(mdia) = child(trak, b"mdia") else {
            continue;
        };
        let is_audio = child(mdia, b"hdlr").is_some_and(|h| h.get(8..12) == Some(b"soun"));
        if !is_audio {
            continue;
        }
        let id = child(trak, b"tkhd").and_then(parse_tkhd_id);
        if id == Some(track_id) {
            chosen = Some(trak);
            break;
        }
        first_audio.get_or_insert(trak);
    }
    let trak = chosen.or(first_audio)?;
    let mdia = child(trak, b"mdia")?;
    let media_timescale = child(mdia, b"mdhd").and_then(parse_mdhd)?;
    let elst = child(trak, b"edts").and_then(|edts| child(edts, b"elst"))?;
    let (segment_duration, media_time) = parse_elst(elst)?;
    let rate = u128::from(sample_rate);
    let frames = |value: u64, timescale: u32| -> Option<u64> {
        let scaled = (u128::from(value) * rate + u128::from(timescale) / 2) / u128::from(timescale);
        u64::try_from(scaled).ok()
    };
    Some(Edit {
        skip_frames: frames(media_time, media_timescale)?,
        play_frames: frames(segment_duration, movie_timescale)?,
    })
}

/// Whether a top-level box runs past the end of the file: an MP4 cut short (symphonia then
/// finds no media data to play).
pub fn is_cut_short(file: &mut (impl Read + Seek)) -> bool {
    let Ok(end) = file.seek(SeekFrom::End(0)) else {
        return false;
    };
    let mut at = 0u64;
    for _ in 0..MAX_BOXES {
        if at + 8 > end {
            return false;
        }
        match box_header(file, at, end) {
            Some((size, _, _)) if at.saturating_add(size) > end => return true,
            Some((size, _, _)) => at += size,
            None => return false,
        }
    }
    false
}

/// The top-level box at `at`: (size, header length, type). A size of 0 ("to the end") is
/// returned as the rest of the file.
fn box_header(file: &mut (impl Read + Seek), at: u64, end: u64) -> Option<(u64, u64, [u8; 4])> {
    file.seek(SeekFrom::Start(at)).ok()?;
    let mut head = [0u8; 16];
    file.read_exact(&mut head[..8]).ok()?;
    let kind: [u8; 4] = head[4..8].try_into().ok()?;
    let (size, header) = match u32::from_be_bytes(head[0..4].try_into().ok()?) {
        0 => (end - at, 8),
        1 => {
            file.read_exact(&mut head[8..16]).ok()?;
            (u64::from_be_bytes(head[8..16].try_into().ok()?), 16)
        }
        n => (u64::from(n), 8),
    };
    (size >= header).then_some((size, header, kind))
}

/// Finds the top-level `moov` box and reads its body.
fn find_top_level_moov(file: &mut (impl Read + Seek)) -> Option<Vec<u8>> {
    let end = file.seek(SeekFrom::End(0)).ok()?;
    let mut at = 0u64;
    for _ in 0..MAX_BOXES {
        if at + 8 > end {
            return None;
        }
        let (size, header, kind) = box_header(file, at, end)?;
        if at.checked_add(size)? > end {
            return None;
        }
        if &kind == b"moov" {
            let body = size - header;
            if body > MAX_MOOV_BYTES {
                return None;
            }
            // `box_header` left the file at the body.
            let mut moov = vec![0u8; body as usize];
            file.read_exact(&mut moov).ok()?;
            return Some(moov);
        }
        at += size;
    }
    None
}

/// The boxes directly inside `body`, as (type, body); stops at the first malformed one.
fn children(body: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.len() < 8 {
            return None;
        }
        let size32 = u32::from_be_bytes(rest[0..4].try_into().ok()?);
        let kind: [u8; 4] = rest[4..8].try_into().ok()?;
        let (size, header) = match size32 {
            0 => (rest.len() as u64, 8),
            1 => (u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?), 16),
            n => (u64::from(n), 8),
        };
        let size = usize::try_from(size).ok()?;
        if size < header || size > rest.len() {
            return None;
        }
        let inner = &rest[header..size];
        rest = &rest[size..];
        Some((kind, inner))
    })
}

fn child<'a>(body: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(body).find(|(k, _)| k == kind).map(|(_, b)| b)
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The movie time scale (`mvhd`): version, flags, then times whose width the version sets.
fn parse_mvhd(b: &[u8]) -> Option<u32> {
    let timescale = match b.first()? {
        0 => be_u32(b, 12)?,
        1 => be_u32(b, 20)?,
        _ => return None,
    };
    (timescale > 0).then_some(timescale)
}

/// The media time scale (`mdhd`): laid out like `mvhd`'s.
fn parse_mdhd(b: &[u8]) -> Option<u32> {
    parse_mvhd(b)
}

fn parse_tkhd_id(b: &[u8]) -> Option<u32> {
    match b.first()? {
        0 => be_u32(b, 12),
        1 => be_u32(b, 20),
        _ => None,
    }
}

/// The one edit that plays media: (segment duration in movie units, media start in media
/// units). Empty edits (media time -1) before it are ignored.
fn parse_elst(b: &[u8]) -> Option<(u64, u64)> {
    let version = *b.first()?;
    let count = be_u32(b, 4)? as usize;
    let entry_len = if version == 1 { 20 } else { 12 };
    if b.len() < 8 + count.checked_mul(entry_len)? {
        return None;
    }
    let mut found = None;
    for i in 0..count {
        let at = 8 + i * entry_len;
        let (duration, media_time, rate_at) = if version == 1 {
            (be_u64(b, at)?, be_u64(b, at + 8)? as i64, at + 16)
        } else {
            (
                u64::from(be_u32(b, at)?),
                i64::from(be_u32(b, at + 4)? as i32),
                at + 8,
            )
        };
        if media_time == -1 {
            continue;
        }
        // media_rate 1.0 in 16.16 fixed point.
        if be_u32(b, rate_at)? != 0x0001_0000 || media_time < 0 || found.is_some() {
            return None;
        }
        found = Some((duration, media_time as u64));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }

    fn full_v0(fields: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 4];
        for f in fields {
            b.extend_from_slice(&f.to_be_bytes());
        }
        b
    }

    /// A file with one audio track: movie scale 1000, media scale 44100, the given edits.
    fn file(edits: &[(u32, i32)], track_id: u32) -> Vec<u8> {
        let mut elst = vec![0u8; 4];
        elst.extend_from_slice(&(edits.len() as u32).to_be_bytes());
        for (duration, media_time) in edits {
            elst.extend_from_slice(&duration.to_be_bytes());
            elst.extend_from_slice(&media_time.to_be_bytes());
            elst.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        }
        let mut hdlr = vec![0u8; 8];
        hdlr.extend_from_slice(b"soun");
        hdlr.extend_from_slice(&[0; 12]);
        let mdia = [
            mp4_box(b"mdhd", &full_v0(&[0, 0, 44100, 0])),
            mp4_box(b"hdlr", &hdlr),
        ]
        .concat();
        let trak = [
            mp4_box(b"tkhd", &full_v0(&[0, 0, track_id])),
            mp4_box(b"edts", &mp4_box(b"elst", &elst)),
            mp4_box(b"mdia", &mdia),
        ]
        .concat();
        let moov = [
            mp4_box(b"mvhd", &full_v0(&[0, 0, 1000, 0])),
            mp4_box(b"trak", &trak),
        ]
        .concat();
        [
            mp4_box(b"ftyp", b"M4A \0\0\0\0"),
            mp4_box(b"mdat", &[0u8; 100]),
            mp4_box(b"moov", &moov),
        ]
        .concat()
    }

    #[test]
    fn reads_priming_and_length() {
        let f = file(&[(3000, 1024)], 1);
        let edit = read_edit(&mut Cursor::new(f), 1, 44100).unwrap();
        assert_eq!(
            edit,
            Edit {
                skip_frames: 1024,
                play_frames: 132_300
            }
        );
        // An empty edit before it is ignored; an unknown track id falls back to the first.
        let f = file(&[(10, -1), (3000, 2112)], 7);
        let edit = read_edit(&mut Cursor::new(f), 1, 44100).unwrap();
        assert_eq!(edit.skip_frames, 2112);
    }

    #[test]
    fn cut_files_are_told_apart() {
        let whole = file(&[(3000, 1024)], 1);
        assert!(!is_cut_short(&mut Cursor::new(whole.clone())));
        let mut cut = whole;
        cut.truncate(cut.len() - 1);
        assert!(is_cut_short(&mut Cursor::new(cut)));
        assert!(!is_cut_short(&mut Cursor::new(Vec::new())));
    }

    #[test]
    fn edits_it_cannot_apply_and_garbage_give_none() {
        assert_eq!(
            read_edit(&mut Cursor::new(file(&[(1, 0), (2, 5)], 1)), 1, 44100),
            None
        );
        assert_eq!(read_edit(&mut Cursor::new(file(&[], 1)), 1, 44100), None);
        let mut f = file(&[(3000, 1024)], 1);
        let len = f.len();
        f.truncate(len - 10);
        assert_eq!(read_edit(&mut Cursor::new(f), 1, 44100), None);
        assert_eq!(
            read_edit(&mut Cursor::new(vec![0xffu8; 64]), 1, 44100),
            None
        );
        assert_eq!(read_edit(&mut Cursor::new(Vec::new()), 1, 44100), None);
        // A box claiming to be smaller than its header.
        let mut bad = vec![0, 0, 0, 4];
        bad.extend_from_slice(b"moov");
        assert_eq!(read_edit(&mut Cursor::new(bad), 1, 44100), None);
    }
}
