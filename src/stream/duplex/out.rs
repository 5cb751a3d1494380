//! The playback side of the bridge while it is open: OUT's stream, the conversion or the
//! drift-correcting resampler in front of it, and its counts.

use super::*;

/// The playback side while it is open.
pub(super) struct OutSide {
    pub(super) stream: PcmStream,
    pub(super) negotiated: Negotiated,
    pub(super) in_spec: PcmSpec,
    /// IN's format and channels to OUT's: `None` when they are the same.
    pub(super) conversion: Option<Conversion>,
    /// To `f64` in OUT's channel layout, for the resampler and the software volume.
    pub(super) to_float: Conversion,
    /// Rate conversion from the start, or drift correction once engaged.
    pub(super) resampler: Option<DriftResampler>,
    /// A ratio-1 resampler built ahead, for when the correction engages in mid-stream.
    pub(super) spare: Option<DriftResampler>,
    /// The last frames passed through unchanged (IN's bytes), to prime the resampler with.
    pub(super) history: Vec<u8>,
    /// IN's position when OUT opened: the two positions are compared from there.
    pub(super) in_origin: Option<i64>,
    pub(super) xruns: u64,
    pub(super) converted: Vec<u8>,
    pub(super) floats: Vec<f64>,
    pub(super) resampled: Vec<f64>,
}

impl OutSide {
    pub(super) fn open(
        device: &str,
        request: &Request,
        input: Negotiated,
        stop: &StopFlag,
        spare: Option<DriftResampler>,
    ) -> Result<OutSide> {
        let mut stream = PcmStream::open(device, Direction::Playback, request, stop.clone())?;
        let negotiated = stream.negotiated;
        let out = negotiated.spec;
        let conversion = Conversion::new(
            input.spec.format,
            input.spec.channels,
            out.format,
            out.channels,
        );
        let channels = out.channels as usize;
        let (resampler, spare) = if out.rate != input.spec.rate {
            let ratio = f64::from(out.rate) / f64::from(input.spec.rate);
            (Some(DriftResampler::new(ratio, channels)?), spare)
        } else {
            let spare = match spare {
                Some(r) if r.channels() == channels => r,
                _ => DriftResampler::new(1.0, channels)?,
            };
            (None, Some(spare))
        };
        // Playback starts once its buffer is full: queue silence up to one period short of
        // that, so that the first period of audio starts it and the latency is the buffer.
        let period = negotiated.period_frames.max(1);
        let threshold = (negotiated.buffer_frames / period) * period;
        let lead = threshold.saturating_sub(period);
        let silence: Vec<u8> = out
            .format
            .silence()
            .iter()
            .copied()
            .cycle()
            .take(lead * negotiated.bytes_per_frame())
            .collect();
        stream.write(&silence)?;
        Ok(OutSide {
            stream,
            negotiated,
            in_spec: input.spec,
            conversion: (!conversion.is_identity()).then_some(conversion),
            to_float: Conversion::new(
                input.spec.format,
                input.spec.channels,
                SampleFormat::FLOAT64_LE,
                out.channels,
            ),
            resampler,
            spare,
            history: Vec::new(),
            in_origin: None,
            xruns: 0,
            converted: Vec::new(),
            floats: Vec::new(),
            resampled: Vec::new(),
        })
    }

    pub(super) fn describe_conversion(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.conversion {
            parts.push(c.describe());
        }
        if self.negotiated.spec.rate != self.in_spec.rate {
            parts.push(format!(
                "resampling {} Hz to {} Hz",
                self.in_spec.rate, self.negotiated.spec.rate
            ));
        }
        if parts.is_empty() {
            "; bit-exact".to_string()
        } else {
            format!("; {}", parts.join(", "))
        }
    }

    /// Sends a piece of IN's audio to OUT: unchanged, converted, or resampled.
    pub(super) fn send(
        &mut self,
        piece: &[u8],
        control: &DriftControl,
        gain: Option<&AtomicU64>,
    ) -> Result<Transfer> {
        let gain = gain.map_or(1.0, |g| f64::from_bits(g.load(Ordering::Relaxed)));
        if self.resampler.is_none() && control.engaged() {
            let history = std::mem::take(&mut self.history);
            self.to_float.convert(&history, &mut self.converted);
            let mut primed = Vec::new();
            to_f64(&self.converted, gain, &mut primed);
            let mut resampler = match self.spare.take() {
                Some(spare) => spare,
                None => DriftResampler::new(1.0, self.negotiated.spec.channels as usize)?,
            };
            resampler.prime(&primed)?;
            self.resampler = Some(resampler);
        }
        if self.resampler.is_none() && gain == 1.0 {
            self.remember(piece);
            return match &self.conversion {
                None => self.stream.write(piece),
                Some(c) => {
                    c.convert(piece, &mut self.converted);
                    self.stream.write(&self.converted)
                }
            };
        }
        // The history only primes a resampler that is not there yet.
        if self.resampler.is_none() {
            self.remember(piece);
        }
        self.to_float.convert(piece, &mut self.converted);
        to_f64(&self.converted, gain, &mut self.floats);
        let samples = match self.resampler.as_mut() {
            Some(resampler) => {
                self.resampled.clear();
                resampler.process(&self.floats, &mut self.resampled)?;
                &self.resampled
            }
            None => &self.floats,
        };
        let format = self.negotiated.spec.format;
        let width = format.bytes();
        self.converted.resize(samples.len() * width, 0);
        for (x, out) in samples.iter().zip(self.converted.chunks_exact_mut(width)) {
            encode_rounded(format, *x, out);
        }
        self.stream.write(&self.converted)
    }

    /// The ratio-1 resampler this side holds, for the next opening: its spare, or the one it
    /// corrected with (primed afresh when used again).
    pub(super) fn take_spare(&mut self) -> Option<DriftResampler> {
        if self.negotiated.spec.rate == self.in_spec.rate {
            self.spare.take().or_else(|| self.resampler.take())
        } else {
            self.spare.take()
        }
    }

    /// Keeps the last [`PRIME_FRAMES`] frames of IN's audio.
    pub(super) fn remember(&mut self, piece: &[u8]) {
        let keep = PRIME_FRAMES * self.in_spec.bytes_per_frame();
        self.history.extend_from_slice(piece);
        if self.history.len() > keep {
            self.history.drain(..self.history.len() - keep);
        }
    }

    /// Counts and reports OUT's xruns; true when there were some.
    pub(super) fn take_xruns(&mut self, ui: &Ui, bar: &indicatif::ProgressBar) -> bool {
        let gaps = self.stream.take_gaps();
        for gap in &gaps {
            self.xruns += 1;
            report(ui, bar, gap, Direction::Playback, self.negotiated.spec.rate);
        }
        !gaps.is_empty()
    }

    /// The fill level now, and the positions it comes from.
    pub(super) fn reading(&mut self, input: &PcmStream, in_rate: f64) -> Option<Reading> {
        let in_delay = input.delay()?;
        let out_delay = self.stream.delay()?;
        let in_position = input.frames() as i64 + in_delay;
        let origin = *self.in_origin.get_or_insert(in_position);
        let out_rate = f64::from(self.negotiated.spec.rate);
        let pending = self
            .resampler
            .as_ref()
            .map_or(0.0, |r| r.pending_frames() as f64 / out_rate);
        let played = (self.stream.frames() as i64 - out_delay) as f64 / out_rate;
        Some(Reading {
            time: input.frames() as f64 / in_rate,
            uncorrected: (in_position - origin) as f64 / in_rate - played,
            fill: in_delay as f64 / in_rate + out_delay as f64 / out_rate + pending,
        })
    }

    /// Applies the correction to the resampler.
    pub(super) fn correct(&mut self, control: &DriftControl) -> Result<()> {
        match self.resampler.as_mut() {
            // 0 while the correction is off: a rate conversion runs at its base ratio.
            Some(resampler) => resampler.set_relative(1.0 + control.correction()),
            None => Ok(()),
        }
    }
}

/// FLOAT64_LE bytes to samples, times `gain`, into `out` (its allocation reused).
pub(super) fn to_f64(bytes: &[u8], gain: f64, out: &mut Vec<f64>) {
    out.clear();
    out.extend(
        bytes
            .chunks_exact(8)
            .map(|b| decode_f64(SampleFormat::FLOAT64_LE, b) * gain),
    );
}
