//! Small std-only helper for the kernel bench, run inside the guest (no sox, jq or python there).
//!
//! Built by `tests/kernel/run` with a plain `rustc -O` (not part of the cargo workspace).
//!
//! Subcommands:
//!   wav-info FILE
//!       Parse a WAV file and print `key=value` lines: format, channels, rate, header_frames (from the
//!       data chunk size in the header), file_frames (from the bytes actually present), sizes_ok
//!       (RIFF and data sizes agree with the file). Exit 1 if the file is not a parseable WAV.
//!   wav-match REF CAP MIN_FRAMES
//!       Find the first non-silent frame of CAP, locate it in REF (exact match of 32 frames), then count
//!       how many consecutive frames of CAP equal REF from there. Prints
//!       `matched=N ref_start=R cap_start=C ref_frames=.. cap_frames=..`; exit 0 if matched >= MIN_FRAMES.
//!       Both files must have the same sample format and channel count.
//!   wav-compare REF CAP MIN_FRAMES [TOLERANCE]
//!       Like wav-match for audio that went through a conversion (format, channel count): both files are
//!       aligned on their first non-silent frame and compared as samples normalised to -1..1, with a
//!       tolerance of TOLERANCE (default 1.5) steps of the coarser format (0: exact). CAP channel c is compared with REF channel c, or
//!       with REF channel 0 when REF is mono; extra CAP channels must be silent. Prints
//!       `matched=N max_err=E ...`; exit 0 if matched >= MIN_FRAMES.
//!   wav-find BIG REF [REF_START [REF_LEN]]
//!       Find frames REF_START.. (REF_LEN of them, default all) of REF in BIG: the first non-silent frame
//!       from REF_START and the 31 after it are located in BIG (exact match), then consecutive equal
//!       frames are counted. Prints `matched=N ref_start=R big_start=B ref_frames=.. big_frames=..
//!       lost_tail=L` (L: frames of the slice after the matched run); exit 0 if the whole slice matched.
//!       For QEMU's wav output (BIG: every stream a card played, one after another) and for slices of a
//!       recording (BIG: the file that was played).
//!   wav-convert REF CAP
//!       Check that CAP is exactly REF converted as alsatool converts (README, Conversion): samples
//!       left-justified to 32 bits and truncated to CAP's width, CAP channel c from REF channel c (from
//!       channel 0 when REF is mono), extra CAP channels silent, every frame, nothing after. Prints
//!       `matched=N ref_frames=.. cap_frames=.. stopped_at=".."`; exit 0 if all frames match and
//!       CAP has as many frames as REF.
//!   wav-stats FILE
//!       Print frames, peak (absolute, normalised 0..1) and rms of all samples, to check "not silent".
//!   json-flat [FILE]
//!       Parse JSON (stdin if no FILE) and print one `path=value` line per leaf, e.g.
//!       `.cards[0].id="Dummy"`. Exit 1 with a message if the JSON is invalid.
//!   ctl-remove CARD NAME
//!       Remove the user-defined mixer control NAME (one alsa-lib's softvol plugin created, say) from
//!       card number CARD: the SNDRV_CTL_IOCTL_ELEM_REMOVE ioctl on /dev/snd/controlCARD, which no
//!       alsa-utils tool issues. Exit 1 with the OS error if the kernel refuses.

use std::env;
use std::fs;
use std::process::exit;

fn die(msg: &str) -> ! {
    eprintln!("benchtool: {msg}");
    exit(2)
}

// ---------------------------------------------------------------- WAV

struct Wav {
    fmt_tag: u16,
    channels: u16,
    rate: u32,
    bits: u16,
    block_align: u16,
    riff_size: u32,
    data_size_header: u32,
    data: Vec<u8>,
    file_len: usize,
    data_offset: usize,
}

fn le16(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
fn le32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

fn parse_wav(path: &str) -> Result<Wav, String> {
    let b = fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WAVE" {
        return Err(format!("{path}: not a RIFF/WAVE file ({} bytes)", b.len()));
    }
    let riff_size = le32(&b, 4);
    let mut o = 12;
    let mut fmt: Option<(u16, u16, u32, u16, u16)> = None;
    while o + 8 <= b.len() {
        let id = &b[o..o + 4];
        let size = le32(&b, o + 4);
        let body = o + 8;
        if id == b"fmt " {
            if body + 16 > b.len() {
                return Err(format!("{path}: truncated fmt chunk"));
            }
            let mut tag = le16(&b, body);
            let channels = le16(&b, body + 2);
            let rate = le32(&b, body + 4);
            let block_align = le16(&b, body + 12);
            let bits = le16(&b, body + 14);
            if tag == 0xFFFE && size >= 40 && body + 26 <= b.len() {
                tag = le16(&b, body + 24); // sub-format GUID starts with the real tag
            }
            fmt = Some((tag, channels, rate, bits, block_align));
        } else if id == b"data" {
            let (fmt_tag, channels, rate, bits, block_align) =
                fmt.ok_or_else(|| format!("{path}: data chunk before fmt chunk"))?;
            if channels == 0 || block_align == 0 {
                return Err(format!("{path}: bad fmt: {channels} channels, block align {block_align}"));
            }
            let avail = b.len() - body;
            // A size of 0 or a too-big size (crash, stream) means "until end of file".
            let take = if size == 0 || size as usize > avail { avail } else { size as usize };
            let take = take - take % block_align as usize;
            return Ok(Wav {
                fmt_tag,
                channels,
                rate,
                bits,
                block_align,
                riff_size,
                data_size_header: size,
                data: b[body..body + take].to_vec(),
                file_len: b.len(),
                data_offset: body,
            });
        }
        o = body + size as usize + (size as usize & 1);
    }
    Err(format!("{path}: no data chunk"))
}

impl Wav {
    fn format_name(&self) -> String {
        let bytes = self.block_align / self.channels;
        match (self.fmt_tag, self.bits, bytes) {
            (1, 8, 1) => "U8".into(),
            (1, 16, 2) => "S16_LE".into(),
            (1, 24, 3) => "S24_3LE".into(),
            (1, 24, 4) => "S24_LE".into(),
            (1, 32, 4) => "S32_LE".into(),
            (3, 32, 4) => "FLOAT_LE".into(),
            (3, 64, 8) => "FLOAT64_LE".into(),
            (t, b, n) => format!("tag{t}_{b}bit_{n}bytes"),
        }
    }
    fn frames(&self) -> usize {
        self.data.len() / self.block_align as usize
    }
    fn frame(&self, i: usize) -> &[u8] {
        let n = self.block_align as usize;
        &self.data[i * n..(i + 1) * n]
    }
    fn silent_frame(&self, i: usize) -> bool {
        let f = self.frame(i);
        if self.fmt_tag == 1 && self.bits == 8 {
            f.iter().all(|&x| x == 0x80)
        } else {
            f.iter().all(|&x| x == 0)
        }
    }
    /// Samples normalised to -1..1.
    fn samples(&self) -> Vec<f64> {
        let bytes = (self.block_align / self.channels) as usize;
        self.data
            .chunks_exact(bytes)
            .map(|s| match (self.fmt_tag, bytes) {
                (1, 1) => (s[0] as f64 - 128.0) / 128.0,
                (1, 2) => i16::from_le_bytes([s[0], s[1]]) as f64 / 32768.0,
                (1, 3) => ((i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f64) / 8388608.0,
                (1, 4) if self.bits == 24 => {
                    ((i32::from_le_bytes([s[0], s[1], s[2], 0]) << 8 >> 8) as f64) / 8388608.0
                }
                (1, 4) => i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64 / 2147483648.0,
                (3, 4) => f32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64,
                (3, 8) => f64::from_le_bytes(s.try_into().unwrap()),
                _ => 0.0,
            })
            .collect()
    }
}

fn wav_info(path: &str) {
    let w = parse_wav(path).unwrap_or_else(|e| {
        println!("parse=error {e}");
        exit(1)
    });
    let file_data = w.file_len - w.data_offset;
    let header_frames = w.data_size_header as usize / w.block_align as usize;
    let file_frames = file_data / w.block_align as usize;
    // Header sizes agree with the bytes present (a pad byte after odd-sized data is allowed).
    let d = w.data_size_header as usize;
    let sizes_ok = (d == file_data || d + 1 == file_data) && w.riff_size as usize + 8 == w.file_len;
    println!("parse=ok");
    println!("format={}", w.format_name());
    println!("channels={}", w.channels);
    println!("rate={}", w.rate);
    println!("bits={}", w.bits);
    println!("frame_bytes={}", w.block_align);
    println!("header_bytes={}", w.data_size_header);
    println!("file_bytes={file_data}");
    println!("header_frames={header_frames}");
    println!("file_frames={file_frames}");
    println!("sizes_ok={}", if sizes_ok { 1 } else { 0 });
}

fn wav_stats(path: &str) {
    let w = parse_wav(path).unwrap_or_else(|e| die(&e));
    let s = w.samples();
    let peak = s.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let rms = if s.is_empty() { 0.0 } else { (s.iter().map(|x| x * x).sum::<f64>() / s.len() as f64).sqrt() };
    println!("frames={} peak={:.4} rms={:.4}", w.frames(), peak, rms);
}

fn wav_match(rpath: &str, cpath: &str, min: usize) {
    let r = parse_wav(rpath).unwrap_or_else(|e| die(&e));
    let c = parse_wav(cpath).unwrap_or_else(|e| die(&e));
    if r.block_align != c.block_align || r.channels != c.channels || r.fmt_tag != c.fmt_tag {
        die(&format!(
            "format differs: ref {} {}ch, capture {} {}ch",
            r.format_name(),
            r.channels,
            c.format_name(),
            c.channels
        ));
    }
    let (rn, cn) = (r.frames(), c.frames());
    let report = |m: usize, rs: isize, cs: isize| {
        println!("matched={m} ref_start={rs} cap_start={cs} ref_frames={rn} cap_frames={cn}");
        exit(if m >= min && m > 0 { 0 } else { 1 })
    };
    let cs = match (0..cn).find(|&i| !c.silent_frame(i)) {
        Some(i) => i,
        None => report(0, -1, -1),
    };
    let probe = 32.min(cn - cs);
    let block = r.block_align as usize;
    let needle = &c.data[cs * block..(cs + probe) * block];
    let rs = match (0..rn.saturating_sub(probe - 1)).find(|&i| &r.data[i * block..(i + probe) * block] == needle) {
        Some(i) => i,
        None => report(0, -1, cs as isize),
    };
    let mut m = 0;
    while rs + m < rn && cs + m < cn && r.frame(rs + m) == c.frame(cs + m) {
        m += 1;
    }
    report(m, rs as isize, cs as isize);
}

fn same_layout(r: &Wav, c: &Wav) {
    if r.block_align != c.block_align || r.channels != c.channels || r.fmt_tag != c.fmt_tag {
        die(&format!(
            "format differs: {} {}ch and {} {}ch",
            r.format_name(),
            r.channels,
            c.format_name(),
            c.channels
        ));
    }
}

fn wav_find(bpath: &str, rpath: &str, start: usize, len: Option<usize>) {
    let b = parse_wav(bpath).unwrap_or_else(|e| die(&e));
    let r = parse_wav(rpath).unwrap_or_else(|e| die(&e));
    same_layout(&r, &b);
    let (rn, bn) = (r.frames(), b.frames());
    let end = len.map_or(rn, |l| (start + l).min(rn));
    let report = |m: usize, rs: isize, bs: isize| {
        let lost = if rs < 0 { end.saturating_sub(start) } else { end - rs as usize - m };
        println!("matched={m} ref_start={rs} big_start={bs} ref_frames={rn} big_frames={bn} lost_tail={lost}");
        exit(if rs >= 0 && lost == 0 && m > 0 { 0 } else { 1 })
    };
    let rs = match (start..end).find(|&i| !r.silent_frame(i)) {
        Some(i) => i,
        None => report(0, -1, -1),
    };
    let probe = 32.min(end - rs);
    let n = r.block_align as usize;
    let needle = &r.data[rs * n..(rs + probe) * n];
    let first = &needle[..n];
    let bs = match (0..bn.saturating_sub(probe - 1))
        .find(|&i| &b.data[i * n..(i + 1) * n] == first && &b.data[i * n..(i + probe) * n] == needle)
    {
        Some(i) => i,
        None => report(0, -1, -1),
    };
    let mut m = 0;
    while rs + m < end && bs + m < bn && r.frame(rs + m) == b.frame(bs + m) {
        m += 1;
    }
    report(m, rs as isize, bs as isize);
}

impl Wav {
    /// Integer samples, left-justified in 32 bits (what alsatool's conversion works on).
    fn samples32(&self) -> Vec<i64> {
        let bytes = (self.block_align / self.channels) as usize;
        self.data
            .chunks_exact(bytes)
            .map(|s| match (self.fmt_tag, bytes) {
                (1, 1) => ((s[0] as i64) - 128) << 24,
                (1, 2) => (i16::from_le_bytes([s[0], s[1]]) as i64) << 16,
                (1, 3) => i32::from_le_bytes([0, s[0], s[1], s[2]]) as i64,
                (1, 4) if self.bits == 24 => (i32::from_le_bytes([s[0], s[1], s[2], 0]) << 8) as i64,
                (1, 4) => i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as i64,
                _ => die(&format!("wav-convert: integer formats only, not {}", self.format_name())),
            })
            .collect()
    }
}

fn wav_convert(rpath: &str, cpath: &str) {
    let r = parse_wav(rpath).unwrap_or_else(|e| die(&e));
    let c = parse_wav(cpath).unwrap_or_else(|e| die(&e));
    let (rch, cch) = (r.channels as usize, c.channels as usize);
    let (rs, cs) = (r.samples32(), c.samples32());
    let (rn, cn) = (r.frames(), c.frames());
    // Truncation to the capture's width: keep its top bits.
    let width = (c.block_align as usize / cch) * 8;
    let width = if c.bits == 24 { 24 } else { width };
    let mask: i64 = if width >= 32 { !0 } else { !((1i64 << (32 - width)) - 1) };
    let mut m = 0;
    let mut why = String::from("end of file");
    'outer: while m < rn && m < cn {
        for ch in 0..cch {
            let want = if ch < rch {
                rs[m * rch + ch]
            } else if rch == 1 {
                rs[m * rch]
            } else {
                0
            } & mask;
            let got = cs[m * cch + ch];
            if got != want {
                why = format!("frame {m} channel {ch}: want {:#x}, got {:#x}", want as i32, got as i32);
                break 'outer;
            }
        }
        m += 1;
    }
    println!("matched={m} ref_frames={rn} cap_frames={cn} stopped_at=\"{why}\"");
    exit(if m == rn && cn == rn { 0 } else { 1 })
}

fn wav_compare(rpath: &str, cpath: &str, min: usize, tol_steps: f64) {
    let r = parse_wav(rpath).unwrap_or_else(|e| die(&e));
    let c = parse_wav(cpath).unwrap_or_else(|e| die(&e));
    let (rch, cch) = (r.channels as usize, c.channels as usize);
    let (rs, cs) = (r.samples(), c.samples());
    let (rn, cn) = (r.frames(), c.frames());
    let first = |w: &Wav| (0..w.frames()).find(|&i| !w.silent_frame(i));
    let step = |w: &Wav| 2f64.powi(1 - (w.block_align / w.channels) as i32 * 8);
    let tol = tol_steps * step(&r).max(step(&c)) + 1e-12;
    let (ra, ca) = match (first(&r), first(&c)) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            println!("matched=0 (a file is silent) ref_frames={rn} cap_frames={cn}");
            exit(1)
        }
    };
    let mut m = 0;
    let mut max_err = 0f64;
    let mut why = String::from("end of file");
    'outer: while ra + m < rn && ca + m < cn {
        for ch in 0..cch {
            let want = if ch < rch {
                rs[(ra + m) * rch + ch]
            } else if rch == 1 {
                rs[(ra + m) * rch]
            } else {
                0.0
            };
            let got = cs[(ca + m) * cch + ch];
            let err = (got - want).abs();
            if err > tol {
                why = format!("frame {m} channel {ch}: want {want:.6}, got {got:.6}");
                break 'outer;
            }
            max_err = max_err.max(err);
        }
        m += 1;
    }
    println!(
        "matched={m} max_err={max_err:.7} tolerance={tol:.7} ref_start={ra} cap_start={ca} ref_frames={rn} \
         cap_frames={cn} stopped_at=\"{why}\""
    );
    exit(if m >= min && m > 0 { 0 } else { 1 })
}

// ---------------------------------------------------------------- controls

extern "C" {
    fn ioctl(fd: i32, request: u64, ...) -> i32;
}

/// `struct snd_ctl_elem_id` (include/uapi/sound/asound.h): 64 bytes.
#[repr(C)]
struct CtlElemId {
    numid: u32,
    iface: i32,
    device: u32,
    subdevice: u32,
    name: [u8; 44],
    index: u32,
}

/// `SNDRV_CTL_IOCTL_ELEM_REMOVE`: `_IOWR('U', 0x19, struct snd_ctl_elem_id)`.
const CTL_ELEM_REMOVE: u64 = (3 << 30) | ((std::mem::size_of::<CtlElemId>() as u64) << 16) | (0x55 << 8) | 0x19;
const CTL_ELEM_IFACE_MIXER: i32 = 2;

fn ctl_remove(card: &str, name: &str) {
    use std::os::fd::AsRawFd;
    let path = format!("/dev/snd/controlC{card}");
    let file = fs::OpenOptions::new().read(true).write(true).open(&path).unwrap_or_else(|e| die(&format!("{path}: {e}")));
    if name.len() >= 44 {
        die("NAME must be shorter than 44 bytes");
    }
    let mut id = CtlElemId { numid: 0, iface: CTL_ELEM_IFACE_MIXER, device: 0, subdevice: 0, name: [0; 44], index: 0 };
    id.name[..name.len()].copy_from_slice(name.as_bytes());
    // SAFETY: the request's size is that of the struct passed, which outlives the call.
    if unsafe { ioctl(file.as_raw_fd(), CTL_ELEM_REMOVE, &mut id as *mut CtlElemId) } < 0 {
        eprintln!("benchtool: removing '{name}' on card {card}: {}", std::io::Error::last_os_error());
        exit(1);
    }
}

// ---------------------------------------------------------------- JSON

struct P<'a> {
    s: &'a [u8],
    i: usize,
    out: Vec<String>,
}

impl<'a> P<'a> {
    fn err(&self, m: &str) -> ! {
        eprintln!("benchtool: invalid JSON at byte {}: {m}", self.i);
        exit(1)
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&self) -> u8 {
        *self.s.get(self.i).unwrap_or(&0)
    }
    fn lit(&mut self, w: &str) {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
        } else {
            self.err("bad literal")
        }
    }
    fn string(&mut self) -> String {
        if self.peek() != b'"' {
            self.err("expected string")
        }
        self.i += 1;
        let mut v: Vec<u8> = Vec::new();
        loop {
            let ch = self.peek();
            self.i += 1;
            match ch {
                0 if self.i > self.s.len() => self.err("unterminated string"),
                b'"' => break,
                b'\\' => {
                    let e = self.peek();
                    self.i += 1;
                    match e {
                        b'"' => v.push(b'"'),
                        b'\\' => v.push(b'\\'),
                        b'/' => v.push(b'/'),
                        b'b' => v.push(8),
                        b'f' => v.push(12),
                        b'n' => v.push(b'\n'),
                        b'r' => v.push(b'\r'),
                        b't' => v.push(b'\t'),
                        b'u' => {
                            let h = std::str::from_utf8(self.s.get(self.i..self.i + 4).unwrap_or(b"zzzz"))
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .unwrap_or_else(|| self.err("bad \\u escape"));
                            self.i += 4;
                            let c = char::from_u32(h).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            v.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => self.err("bad escape"),
                    }
                }
                c if c < 0x20 => self.err("control character in string"),
                c => v.push(c),
            }
        }
        String::from_utf8(v).unwrap_or_else(|_| self.err("invalid UTF-8"))
    }
    fn value(&mut self, path: &str) {
        self.ws();
        match self.peek() {
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek() == b'}' {
                    self.i += 1;
                    self.out.push(format!("{path}={{}}"));
                    return;
                }
                loop {
                    self.ws();
                    let k = self.string();
                    self.ws();
                    if self.peek() != b':' {
                        self.err("expected ':'")
                    }
                    self.i += 1;
                    self.value(&format!("{path}.{k}"));
                    self.ws();
                    match self.peek() {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return;
                        }
                        _ => self.err("expected ',' or '}'"),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek() == b']' {
                    self.i += 1;
                    self.out.push(format!("{path}=[]"));
                    return;
                }
                let mut n = 0;
                loop {
                    self.value(&format!("{path}[{n}]"));
                    n += 1;
                    self.ws();
                    match self.peek() {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return;
                        }
                        _ => self.err("expected ',' or ']'"),
                    }
                }
            }
            b'"' => {
                let s = self.string();
                self.out.push(format!("{path}=\"{}\"", s.replace('\n', "\\n")));
            }
            b't' => {
                self.lit("true");
                self.out.push(format!("{path}=true"));
            }
            b'f' => {
                self.lit("false");
                self.out.push(format!("{path}=false"));
            }
            b'n' => {
                self.lit("null");
                self.out.push(format!("{path}=null"));
            }
            b'-' | b'0'..=b'9' => {
                let st = self.i;
                while self.i < self.s.len() && matches!(self.s[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[st..self.i]).unwrap();
                if t.parse::<f64>().is_err() {
                    self.err("bad number")
                }
                self.out.push(format!("{path}={t}"));
            }
            _ => self.err("unexpected character"),
        }
    }
}

fn json_flat(path: Option<&str>) {
    let data = match path {
        Some(p) => fs::read(p).unwrap_or_else(|e| die(&format!("{p}: {e}"))),
        None => {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).unwrap_or_else(|e| die(&e.to_string()));
            v
        }
    };
    let mut p = P { s: &data, i: 0, out: Vec::new() };
    p.ws();
    if p.peek() == 0 {
        p.err("empty input")
    }
    p.value("");
    p.ws();
    if p.i != data.len() {
        p.err("trailing data")
    }
    for l in p.out {
        println!("{l}");
    }
}

fn main() {
    let a: Vec<String> = env::args().skip(1).collect();
    let a: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
    match a.as_slice() {
        ["wav-info", f] => wav_info(f),
        ["wav-stats", f] => wav_stats(f),
        ["wav-match", r, c, m] => wav_match(r, c, m.parse().unwrap_or_else(|_| die("MIN_FRAMES must be a number"))),
        ["wav-compare", r, c, m] => {
            wav_compare(r, c, m.parse().unwrap_or_else(|_| die("MIN_FRAMES must be a number")), 1.5)
        }
        ["wav-compare", r, c, m, t] => wav_compare(
            r,
            c,
            m.parse().unwrap_or_else(|_| die("MIN_FRAMES must be a number")),
            t.parse().unwrap_or_else(|_| die("TOLERANCE must be a number")),
        ),
        ["wav-find", b, r, rest @ ..] if rest.len() <= 2 => {
            let num = |x: &str| x.parse().unwrap_or_else(|_| die("REF_START and REF_LEN must be numbers"));
            wav_find(b, r, rest.first().map_or(0, |x| num(x)), rest.get(1).map(|x| num(x)))
        }
        ["wav-convert", r, c] => wav_convert(r, c),
        ["json-flat"] => json_flat(None),
        ["json-flat", f] => json_flat(Some(f)),
        ["ctl-remove", card, name] => ctl_remove(card, name),
        _ => die(
            "usage: benchtool wav-info F | wav-stats F | wav-match REF CAP MIN | wav-compare REF CAP MIN [TOL] \
             | wav-find BIG REF [START [LEN]] | wav-convert REF CAP | json-flat [F] | ctl-remove CARD NAME",
        ),
    }
}
