//! Sample formats: one table that ties ALSA's format names to `alsa::pcm::Format`, byte widths and
//! the WAV header that describes them, plus aplay's `cd`, `cdr` and `dat` shortcuts.

use std::fmt;
use std::str::FromStr;

use alsa::pcm::Format as AlsaFormat;

/// How the bits of one sample are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Signed,
    Unsigned,
    Float,
    ALaw,
    MuLaw,
}

/// A sample format alsatool knows by name. Each has a fixed layout in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)]
pub enum SampleFormat {
    S8,
    U8,
    S16_LE,
    S16_BE,
    U16_LE,
    U16_BE,
    /// 24 significant bits in the low three bytes of a 4-byte little-endian word.
    S24_LE,
    S24_BE,
    U24_LE,
    U24_BE,
    S32_LE,
    S32_BE,
    U32_LE,
    U32_BE,
    FLOAT_LE,
    FLOAT_BE,
    FLOAT64_LE,
    FLOAT64_BE,
    /// 24 bits packed in three bytes.
    S24_3LE,
    S24_3BE,
    U24_3LE,
    U24_3BE,
    S20_3LE,
    S20_3BE,
    A_LAW,
    MU_LAW,
}

use SampleFormat::*;

impl SampleFormat {
    /// Every format, in the order `alsatool devices` lists them.
    pub const ALL: [SampleFormat; 26] = [
        S8, U8, S16_LE, S16_BE, U16_LE, U16_BE, S24_LE, S24_BE, U24_LE, U24_BE, S32_LE, S32_BE,
        U32_LE, U32_BE, FLOAT_LE, FLOAT_BE, FLOAT64_LE, FLOAT64_BE, S24_3LE, S24_3BE, U24_3LE,
        U24_3BE, S20_3LE, S20_3BE, A_LAW, MU_LAW,
    ];

    /// ALSA's name for the format, as aplay and `snd_pcm_format_name` spell it.
    pub fn name(self) -> &'static str {
        match self {
            S8 => "S8",
            U8 => "U8",
            S16_LE => "S16_LE",
            S16_BE => "S16_BE",
            U16_LE => "U16_LE",
            U16_BE => "U16_BE",
            S24_LE => "S24_LE",
            S24_BE => "S24_BE",
            U24_LE => "U24_LE",
            U24_BE => "U24_BE",
            S32_LE => "S32_LE",
            S32_BE => "S32_BE",
            U32_LE => "U32_LE",
            U32_BE => "U32_BE",
            FLOAT_LE => "FLOAT_LE",
            FLOAT_BE => "FLOAT_BE",
            FLOAT64_LE => "FLOAT64_LE",
            FLOAT64_BE => "FLOAT64_BE",
            S24_3LE => "S24_3LE",
            S24_3BE => "S24_3BE",
            U24_3LE => "U24_3LE",
            U24_3BE => "U24_3BE",
            S20_3LE => "S20_3LE",
            S20_3BE => "S20_3BE",
            A_LAW => "A_LAW",
            MU_LAW => "MU_LAW",
        }
    }

    pub fn to_alsa(self) -> AlsaFormat {
        match self {
            S8 => AlsaFormat::S8,
            U8 => AlsaFormat::U8,
            S16_LE => AlsaFormat::S16LE,
            S16_BE => AlsaFormat::S16BE,
            U16_LE => AlsaFormat::U16LE,
            U16_BE => AlsaFormat::U16BE,
            S24_LE => AlsaFormat::S24LE,
            S24_BE => AlsaFormat::S24BE,
            U24_LE => AlsaFormat::U24LE,
            U24_BE => AlsaFormat::U24BE,
            S32_LE => AlsaFormat::S32LE,
            S32_BE => AlsaFormat::S32BE,
            U32_LE => AlsaFormat::U32LE,
            U32_BE => AlsaFormat::U32BE,
            FLOAT_LE => AlsaFormat::FloatLE,
            FLOAT_BE => AlsaFormat::FloatBE,
            FLOAT64_LE => AlsaFormat::Float64LE,
            FLOAT64_BE => AlsaFormat::Float64BE,
            S24_3LE => AlsaFormat::S243LE,
            S24_3BE => AlsaFormat::S243BE,
            U24_3LE => AlsaFormat::U243LE,
            U24_3BE => AlsaFormat::U243BE,
            S20_3LE => AlsaFormat::S203LE,
            S20_3BE => AlsaFormat::S203BE,
            A_LAW => AlsaFormat::ALaw,
            MU_LAW => AlsaFormat::MuLaw,
        }
    }

    pub fn from_alsa(format: AlsaFormat) -> Option<SampleFormat> {
        Self::ALL.into_iter().find(|f| f.to_alsa() == format)
    }

    /// Bytes one sample takes in memory (ALSA's physical width / 8).
    pub fn bytes(self) -> usize {
        match self {
            S8 | U8 | A_LAW | MU_LAW => 1,
            S16_LE | S16_BE | U16_LE | U16_BE => 2,
            S24_3LE | S24_3BE | U24_3LE | U24_3BE | S20_3LE | S20_3BE => 3,
            S24_LE | S24_BE | U24_LE | U24_BE | S32_LE | S32_BE | U32_LE | U32_BE | FLOAT_LE
            | FLOAT_BE => 4,
            FLOAT64_LE | FLOAT64_BE => 8,
        }
    }

    /// Significant bits of one sample (ALSA's width). Companded formats count their 8 coded bits.
    pub fn significant_bits(self) -> u32 {
        match self {
            S8 | U8 | A_LAW | MU_LAW => 8,
            S16_LE | S16_BE | U16_LE | U16_BE => 16,
            S20_3LE | S20_3BE => 20,
            S24_3LE | S24_3BE | U24_3LE | U24_3BE | S24_LE | S24_BE | U24_LE | U24_BE => 24,
            S32_LE | S32_BE | U32_LE | U32_BE | FLOAT_LE | FLOAT_BE => 32,
            FLOAT64_LE | FLOAT64_BE => 64,
        }
    }

    pub fn encoding(self) -> Encoding {
        match self {
            S8 | S16_LE | S16_BE | S24_LE | S24_BE | S32_LE | S32_BE | S24_3LE | S24_3BE
            | S20_3LE | S20_3BE => Encoding::Signed,
            U8 | U16_LE | U16_BE | U24_LE | U24_BE | U32_LE | U32_BE | U24_3LE | U24_3BE => {
                Encoding::Unsigned
            }
            FLOAT_LE | FLOAT_BE | FLOAT64_LE | FLOAT64_BE => Encoding::Float,
            A_LAW => Encoding::ALaw,
            MU_LAW => Encoding::MuLaw,
        }
    }

    /// Whether multi-byte samples are stored most significant byte first.
    pub fn is_big_endian(self) -> bool {
        matches!(
            self,
            S16_BE
                | U16_BE
                | S24_BE
                | U24_BE
                | S32_BE
                | U32_BE
                | FLOAT_BE
                | FLOAT64_BE
                | S24_3BE
                | U24_3BE
                | S20_3BE
        )
    }

    /// The byte pattern of digital silence for one sample.
    pub fn silence(self) -> &'static [u8] {
        match self {
            U8 => &[0x80],
            U16_LE => &[0x00, 0x80],
            U16_BE => &[0x80, 0x00],
            U24_LE => &[0x00, 0x00, 0x80, 0x00],
            U24_BE => &[0x00, 0x80, 0x00, 0x00],
            U32_LE => &[0x00, 0x00, 0x00, 0x80],
            U32_BE => &[0x80, 0x00, 0x00, 0x00],
            U24_3LE => &[0x00, 0x00, 0x80],
            U24_3BE => &[0x80, 0x00, 0x00],
            A_LAW => &[0x55],
            MU_LAW => &[0xff],
            other => &[0u8; 8][..other.bytes()],
        }
    }
}

impl fmt::Display for SampleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `-f` value: a format, or one of aplay's shortcuts that also fix rate and channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: SampleFormat,
    /// `(rate, channels)` fixed by a shortcut (`cd`, `cdr`, `dat`).
    pub preset: Option<(u32, u32)>,
}

/// The names `-f` takes, for error messages and help.
pub fn format_names_help() -> String {
    let mut names: Vec<&str> = SampleFormat::ALL.iter().map(|f| f.name()).collect();
    names.extend(["cd", "cdr", "dat"]);
    names.join(", ")
}

impl FromStr for FormatSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase().replace('-', "_");
        let preset = |format, rate, channels| FormatSpec {
            format,
            preset: Some((rate, channels)),
        };
        let plain = |format| FormatSpec {
            format,
            preset: None,
        };
        // Aliases: aplay (snd_pcm_format_value) matches case-insensitively and takes
        // endian-less names as the machine's own order; alsatool runs on little-endian machines.
        Ok(match upper.as_str() {
            "CD" => preset(S16_LE, 44100, 2),
            "CDR" => preset(S16_BE, 44100, 2),
            "DAT" => preset(S16_LE, 48000, 2),
            "S16" => plain(S16_LE),
            "U16" => plain(U16_LE),
            "S24" => plain(S24_LE),
            "U24" => plain(U24_LE),
            "S32" => plain(S32_LE),
            "U32" => plain(U32_LE),
            "FLOAT" | "FLOAT32" | "FLOAT32_LE" | "F32" | "F32_LE" => plain(FLOAT_LE),
            "FLOAT64" | "F64" | "F64_LE" => plain(FLOAT64_LE),
            "MULAW" | "ULAW" | "U_LAW" => plain(MU_LAW),
            "ALAW" => plain(A_LAW),
            other => match SampleFormat::ALL.iter().find(|f| f.name() == other) {
                Some(f) => plain(*f),
                None => {
                    return Err(format!(
                        "unknown sample format '{s}'; use one of {}",
                        format_names_help()
                    ))
                }
            },
        })
    }
}

impl FromStr for SampleFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FormatSpec::from_str(s).map(|spec| spec.format)
    }
}

/// "mono", "stereo" or "N channels", as aplay's header line says it.
pub fn channels_label(channels: u32) -> String {
    match channels {
        1 => "mono".to_string(),
        2 => "stereo".to_string(),
        n => format!("{n} channels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips_through_alsa_and_name() {
        for f in SampleFormat::ALL {
            assert_eq!(SampleFormat::from_alsa(f.to_alsa()), Some(f));
            assert_eq!(f.name().parse::<SampleFormat>(), Ok(f));
            assert_eq!(f.silence().len(), f.bytes());
            let alsa_width = f.to_alsa().physical_width().unwrap() as usize;
            assert_eq!(alsa_width / 8, f.bytes(), "{f}");
            let alsa_name = f.to_alsa().to_string();
            assert_eq!(alsa_name, f.name(), "alsa-lib spells {f} differently");
        }
    }

    #[test]
    fn names_are_case_insensitive_and_shortcuts_fix_rate_and_channels() {
        assert_eq!("s16_le".parse::<SampleFormat>(), Ok(S16_LE));
        assert_eq!("Float_LE".parse::<SampleFormat>(), Ok(FLOAT_LE));
        assert_eq!("mu_law".parse::<SampleFormat>(), Ok(MU_LAW));
        let cd: FormatSpec = "cd".parse().unwrap();
        assert_eq!((cd.format, cd.preset), (S16_LE, Some((44100, 2))));
        let cdr: FormatSpec = "CDR".parse().unwrap();
        assert_eq!((cdr.format, cdr.preset), (S16_BE, Some((44100, 2))));
        let dat: FormatSpec = "dat".parse().unwrap();
        assert_eq!((dat.format, dat.preset), (S16_LE, Some((48000, 2))));
    }

    #[test]
    fn unknown_name_lists_the_known_ones() {
        let err = "S17_LE".parse::<SampleFormat>().unwrap_err();
        assert!(err.contains("S17_LE") && err.contains("S24_3LE") && err.contains("dat"));
    }

    #[test]
    fn widths() {
        assert_eq!(S24_3LE.bytes(), 3);
        assert_eq!(S24_LE.bytes(), 4);
        assert_eq!(S24_LE.significant_bits(), 24);
        assert_eq!(FLOAT64_LE.bytes(), 8);
        assert_eq!(A_LAW.bytes(), 1);
        assert!(S16_BE.is_big_endian() && !S16_LE.is_big_endian());
    }
}
