//! The benchmark harness, `scripts/bench`, in its quick mode: every case must run to the end
//! and print its row, so that the harness never rots between full runs. The numbers are not
//! checked (a debug binary on a shared machine); BENCHMARKS.md has a full run's.

use std::path::Path;
use std::process::Command;

use crate::util::require_tool;

#[test]
fn quick_mode_runs_every_case() {
    for tool in [
        "python3",
        "cc",
        "aplay",
        "arecord",
        "sox",
        "pulseaudio",
        "valgrind",
    ] {
        require_tool(tool);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench");
    let list = Command::new(&script)
        .arg("--list")
        .output()
        .expect("run scripts/bench --list");
    assert!(list.status.success(), "scripts/bench --list failed");
    let cases: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(cases.len() >= 8, "too few cases listed: {cases:?}");

    let cache = tempfile::Builder::new()
        .prefix("alsatool-bench-cache-")
        .tempdir()
        .expect("create cache dir");
    let out = Command::new(&script)
        .args([
            "--quick",
            "--binary",
            env!("CARGO_BIN_EXE_alsatool"),
            "--cache",
        ])
        .arg(cache.path())
        .output()
        .expect("run scripts/bench --quick");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "scripts/bench --quick failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    for case in &cases {
        let row = format!("| {case} |");
        assert!(
            stdout.lines().any(|line| line.starts_with(&row)),
            "no row for case {case}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
    }
    // Every measured cell holds numbers: a tool that printed nothing measurable shows here.
    assert!(
        !stdout.contains("NaN") && !stdout.contains("inf"),
        "{stdout}"
    );
    assert!(stdout.contains("- Machine: ") && stdout.contains("- Command: `scripts/bench --quick"));
}
