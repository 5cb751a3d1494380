//! Micro-benchmarks of the per-sample kernels: format and channel conversion
//! ([`alsatool::convert`]) and the peak meter ([`alsatool::sample::peaks::accumulate_peaks`]), in
//! bytes of input per second, beside `copy_from_slice` of the same size (the memory-bandwidth
//! yardstick: the target is at least half its rate). `scripts/bench` runs these in a full run
//! and tabulates them; `cargo bench --bench kernels` runs them alone.

use std::hint::black_box;

use alsatool::sample::convert::Conversion;
use alsatool::sample::format::SampleFormat::{self, *};
use alsatool::sample::peaks::accumulate_peaks;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Bytes of input per call: about a quarter of a second of 48 kHz stereo 16-bit, a whole number
/// of frames for every layout below (2^14 * 3), and small enough to stay in cache, as a period
/// does.
const INPUT_BYTES: usize = 49_152;

/// Conversions a device that does not take a file's layout makes alsatool do.
const CONVERSIONS: &[(SampleFormat, u32, SampleFormat, u32)] = &[
    (S16_LE, 2, S32_LE, 2),   // a hw: device that takes only 32-bit samples
    (S24_3LE, 2, S32_LE, 2),  // 24-bit files on the same
    (FLOAT_LE, 2, S16_LE, 2), // float files on a 16-bit device
    (S16_LE, 1, S16_LE, 2),   // mono to a stereo-only device
    (S16_LE, 2, S16_LE, 1),   // stereo mixed down to mono
    (S16_LE, 6, S16_LE, 2),   // 5.1 to stereo (the first two channels)
];

/// Formats the peak meter reads, stereo.
const METERED: &[SampleFormat] = &[S16_LE, S24_3LE, S32_LE, FLOAT_LE];

/// Deterministic noise (xorshift); for floats, values within ±1.0 as real audio has.
fn noise(format: SampleFormat, len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    match format {
        FLOAT_LE => (0..len / 4)
            .flat_map(|_| ((next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0).to_le_bytes())
            .collect(),
        _ => (0..len).map(|_| (next() >> 32) as u8).collect(),
    }
}

fn kernels(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernels");
    group.throughput(Throughput::Bytes(INPUT_BYTES as u64));

    let source = noise(S16_LE, INPUT_BYTES);
    let mut destination = vec![0u8; INPUT_BYTES];
    group.bench_function("copy_from_slice", |b| {
        b.iter(|| destination.copy_from_slice(black_box(&source)))
    });

    for &(from, from_channels, to, to_channels) in CONVERSIONS {
        let conversion = Conversion::new(from, from_channels, to, to_channels);
        let input = noise(from, INPUT_BYTES);
        let mut out = Vec::new();
        let name = format!("convert {from} {from_channels}ch to {to} {to_channels}ch");
        group.bench_function(name, |b| {
            b.iter(|| conversion.convert(black_box(&input), &mut out))
        });
    }

    for &format in METERED {
        let input = noise(format, INPUT_BYTES);
        let mut peaks = [0f32; 2];
        group.bench_function(format!("peaks {format} 2ch"), |b| {
            b.iter(|| accumulate_peaks(format, black_box(&input), &mut peaks))
        });
    }
    group.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
