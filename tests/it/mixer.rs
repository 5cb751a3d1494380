//! `alsatool mixer` against real ALSA: the private PulseAudio through ALSA's pulse control
//! plugin (`-d pulse`: `Master` is the default sink, `Capture` the default source; both raw
//! 0..65536 without a dB range). Every change is checked with pactl and with amixer.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::{Pulse, Run, TestEnv};

fn pulse_env() -> (TestEnv, Pulse) {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    (env, pulse)
}

/// The per-channel percents pactl prints for `get-sink-volume` / `get-source-volume`.
fn pactl_percents(pulse: &Pulse, what: &str, target: &str) -> Vec<u32> {
    pulse
        .pactl_text(&[what, target])
        .lines()
        .next()
        .unwrap_or_default()
        .split('/')
        .filter_map(|part| part.trim().strip_suffix('%'))
        .map(|p| p.trim().parse().expect("pactl percent"))
        .collect()
}

fn sink_percents(pulse: &Pulse) -> Vec<u32> {
    pactl_percents(pulse, "get-sink-volume", "@DEFAULT_SINK@")
}

fn source_percents(pulse: &Pulse) -> Vec<u32> {
    pactl_percents(pulse, "get-source-volume", "@DEFAULT_SOURCE@")
}

fn sink_muted(pulse: &Pulse) -> bool {
    pulse
        .pactl_text(&["get-sink-mute", "@DEFAULT_SINK@"])
        .contains("yes")
}

fn source_muted(pulse: &Pulse) -> bool {
    pulse
        .pactl_text(&["get-source-mute", "@DEFAULT_SOURCE@"])
        .contains("yes")
}

/// amixer's `sget` of a control on the pulse plugin.
fn amixer_sget(env: &TestEnv, control: &str) -> String {
    let run = env.run_tool("amixer", &["-D", "pulse", "sget", control]);
    run.success();
    run.stdout()
}

#[test]
fn list_shows_the_pulse_controls_in_text_and_json() {
    let (env, _pulse) = pulse_env();
    let run = env.run(&["mixer", "-d", "pulse"]);
    run.success().stderr_is_empty();
    let text = run.stdout();
    assert!(
        text.contains("Master") && text.contains("playback 100% 100% [on]"),
        "{text}"
    );
    assert!(
        text.contains("Capture") && text.contains("capture 100% 100% [on]"),
        "{text}"
    );

    let json = env
        .run(&["mixer", "--json", "-d", "pulse"])
        .success()
        .json();
    assert_eq!(json["device"], "pulse");
    let controls = json["controls"].as_array().unwrap();
    let master = controls.iter().find(|c| c["id"] == "Master").unwrap();
    assert_eq!(master["capabilities"][0], "pvolume");
    assert_eq!(master["playback"]["volume"]["max"], 65536);
    assert!(
        master["playback"]["volume"]["min_db"].is_null(),
        "no dB range"
    );
    assert_eq!(master["playback"]["channels"][1]["name"], "Front Right");
    assert!(master["capture"].is_null());
    let capture = controls.iter().find(|c| c["id"] == "Capture").unwrap();
    assert_eq!(capture["capture"]["channels"][0]["switch"], true);
}

#[test]
fn set_percent_matches_pactl_and_amixer() {
    let (env, pulse) = pulse_env();
    let run = env.run(&["mixer", "-d", "pulse", "set", "Master", "50%"]);
    run.success()
        .stdout_contains("Master  playback 50% 50% [on]");
    assert_eq!(sink_percents(&pulse), [50, 50]);
    let sget = amixer_sget(&env, "Master");
    assert!(sget.contains("Front Left: Playback 32768 [50%]"), "{sget}");

    // Per channel, case-insensitive name, options after the values.
    env.run(&["mixer", "set", "master", "80%,40%", "-d", "pulse"])
        .success();
    assert_eq!(sink_percents(&pulse), [80, 40]);
    let sget = amixer_sget(&env, "Master");
    assert!(sget.contains("Front Left: Playback 52429 [80%]"), "{sget}");
    assert!(sget.contains("Front Right: Playback 26214 [40%]"), "{sget}");

    // Channel words pick channels for the values after them.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "frontright", "60%"])
        .success();
    assert_eq!(sink_percents(&pulse), [80, 60]);

    // Relative steps and raw values; --linear agrees without a dB range.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "50%", "10%+"])
        .success();
    assert_eq!(sink_percents(&pulse), [60, 60]);
    env.run(&["mixer", "-d", "pulse", "--linear", "set", "Master", "20%-"])
        .success();
    assert_eq!(sink_percents(&pulse), [40, 40]);
    env.run(&["mixer", "-d", "pulse", "set", "Master", "40000"])
        .success();
    assert!(amixer_sget(&env, "Master").contains("Front Left: Playback 40000 ["));
    env.run(&["mixer", "-d", "pulse", "set", "Master", "1000+"])
        .success();
    assert!(amixer_sget(&env, "Master").contains("Front Right: Playback 41000 ["));
    // Values clamp to the range.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "150%"])
        .success();
    assert!(amixer_sget(&env, "Master").contains("Front Left: Playback 65536 [100%]"));
    env.run(&["mixer", "-d", "pulse", "set", "Master", "100000-"])
        .success();
    assert_eq!(sink_percents(&pulse), [0, 0]);
}

#[test]
fn switches_match_pactl_and_amixer() {
    let (env, pulse) = pulse_env();
    env.run(&["mixer", "-d", "pulse", "set", "Master", "mute"])
        .success()
        .stdout_contains("[off]");
    assert!(sink_muted(&pulse));
    assert!(amixer_sget(&env, "Master").contains("[off]"));
    env.run(&["mixer", "-d", "pulse", "set", "Master", "toggle"])
        .success();
    assert!(!sink_muted(&pulse));
    env.run(&["mixer", "-d", "pulse", "set", "Master", "off"])
        .success();
    assert!(sink_muted(&pulse));
    // Several values at once, like amixer.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "30%", "unmute"])
        .success();
    assert!(!sink_muted(&pulse));
    assert_eq!(sink_percents(&pulse), [30, 30]);
    assert!(amixer_sget(&env, "Master").contains("Playback 19661 [30%] [on]"));

    // The capture side: volume and capture switch.
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "35%", "nocap"])
        .success()
        .stdout_contains("Capture  capture 35% 35% [off]");
    assert_eq!(source_percents(&pulse), [35, 35]);
    assert!(source_muted(&pulse));
    let sget = amixer_sget(&env, "Capture");
    assert!(
        sget.contains("Front Left: Capture 22938 [35%] [off]"),
        "{sget}"
    );
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "capture", "cap"])
        .success();
    assert!(!source_muted(&pulse));
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "toggle"])
        .success();
    assert!(source_muted(&pulse));
}

#[test]
fn get_sees_what_pactl_changed() {
    let (env, pulse) = pulse_env();
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "25%", "75%"]);
    pulse.pactl_text(&["set-sink-mute", "@DEFAULT_SINK@", "1"]);
    let run = env.run(&["mixer", "-d", "pulse", "get", "Master"]);
    run.success();
    let text = run.stdout();
    assert!(
        text.contains("Capabilities: pvolume pswitch pswitch-joined"),
        "{text}"
    );
    assert!(
        text.contains("Playback limits: 0 - 65536, no dB range"),
        "{text}"
    );
    assert!(
        text.contains("Front Left:   Playback 16384 [25%] [off]"),
        "{text}"
    );
    assert!(
        text.contains("Front Right:  Playback 49152 [75%] [off]"),
        "{text}"
    );

    let json = env
        .run(&["mixer", "-d", "pulse", "get", "Master", "--json"])
        .success()
        .json();
    assert_eq!(json["device"], "pulse");
    assert_eq!(json["id"], "Master");
    let channels = &json["playback"]["channels"];
    assert_eq!(channels[0]["raw"], 16384);
    assert_eq!(channels[0]["percent"], 25);
    assert_eq!(channels[0]["percent_linear"], 25);
    assert_eq!(channels[1]["percent"], 75);
    assert_eq!(channels[1]["switch"], false);
    assert!(channels[0]["db"].is_null());

    pulse.pactl_text(&["set-source-volume", "@DEFAULT_SOURCE@", "10%"]);
    env.run(&["mixer", "-d", "pulse", "get", "'Capture',0"])
        .success()
        .stdout_contains("Front Right:  Capture 6553 [10%] [on]");
}

#[test]
fn watch_prints_changes_pactl_makes() {
    let (env, pulse) = pulse_env();
    let mut child = env
        .alsatool()
        .args(["-v", "mixer", "-d", "pulse", "watch", "Master", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");
    let (lines_tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let (ready_tx, ready) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let stderr_thread = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("watching") {
                let _ = ready_tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    ready
        .recv_timeout(Duration::from_secs(20))
        .expect("watch did not start");

    // Changes by another program; the Capture change is filtered out.
    pulse.pactl_text(&["set-source-volume", "@DEFAULT_SOURCE@", "20%"]);
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "42%"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let found = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = lines.recv_timeout(left) else {
            break false;
        };
        let event: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
        seen.push(line);
        assert_eq!(event["id"], "Master", "{seen:?}");
        assert_eq!(event["event"], "changed");
        if event["control"]["playback"]["channels"][0]["percent"] == 42 {
            break true;
        }
    };
    assert!(found, "watch never reported 42%: {seen:?}");

    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().expect("wait for watch");
    let stderr = stderr_thread.join().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "Ctrl-C ends watch cleanly\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn watch_text_lines_name_the_control() {
    let (env, pulse) = pulse_env();
    let mut child = env
        .alsatool()
        .args(["-v", "mixer", "watch", "-d", "pulse"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");
    let stderr = child.stderr.take().unwrap();
    let mut stderr = BufReader::new(stderr).lines();
    let started = stderr.any(|l| l.map(|l| l.contains("watching")).unwrap_or(false));
    assert!(started, "watch did not start");
    pulse.pactl_text(&["set-sink-mute", "@DEFAULT_SINK@", "1"]);
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = lines.next().expect("a line").expect("text");
    assert_eq!(line, "Master  playback 100% 100% [off]");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn errors_say_what_to_do() {
    let (env, _pulse) = pulse_env();
    env.run(&["mixer", "-d", "pulse", "get", "Mastr"])
        .fails_with(&[
            "'pulse' has no control 'Mastr'",
            "did you mean 'Master'",
            "Capture",
        ])
        .code_is(2);
    env.run(&["mixer", "-d", "pulse", "set", "Master", "banana"])
        .fails_with(&[
            "'banana' is not a value 'Master' takes",
            "50%",
            "mute/unmute",
        ])
        .code_is(2);
    env.run(&["mixer", "-d", "pulse", "set", "Master", "cap"])
        .fails_with(&[
            "'Master' cannot take 'cap'",
            "no capture switch",
            "mute/unmute",
        ]);
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "mute"])
        .fails_with(&["no playback switch", "cap/nocap"]);
    // -3dB needs no `--`, and a control without a dB range says what it takes instead.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "-3dB"])
        .fails_with(&["no dB range", "50%", "0-65536"]);
    env.run(&["mixer", "-d", "pulse", "set", "Master", "rear", "50%"])
        .fails_with(&["no rear channel", "Front Left, Front Right"]);
    env.run(&["mixer", "-d", "pulse", "set", "Master", "1%,2%,3%"])
        .fails_with(&["3 values", "2 channels"]);
    env.run(&["mixer", "-d", "pulse", "get", "Mic,x"])
        .fails_with(&["not a control name"])
        .code_is(2);
    env.run(&["mixer", "-d", "null"])
        .fails_with(&["'null' has no mixer"])
        .code_is(1);
    env.run(&["mixer", "-c", "99", "get", "Master"])
        .fails_with(&["'hw:99' has no mixer"]);
    env.run(&["mixer", "-c", "0", "-d", "pulse"]).code_is(2);
}

#[test]
fn a_failed_set_changes_nothing() {
    let (env, pulse) = pulse_env();
    env.run(&["mixer", "-d", "pulse", "set", "Master", "30%", "cap"])
        .fails_with(&["cap"]);
    assert_eq!(sink_percents(&pulse), [100, 100], "checked before changing");
}

#[test]
fn a_missing_pulse_server_is_one_line() {
    let env = TestEnv::new();
    env.run(&["mixer", "-d", "pulse"])
        .fails_with(&["cannot open the mixer of 'pulse'"]);
}

#[test]
fn quiet_set_prints_nothing_and_still_sets() {
    let (env, pulse) = pulse_env();
    let run = env.run(&["-q", "mixer", "-d", "pulse", "set", "Master", "40%"]);
    run.success().stderr_is_empty();
    assert!(run.output.stdout.is_empty(), "{}", run.stdout());
    assert_eq!(sink_percents(&pulse), vec![40, 40]);
}

#[test]
fn list_all_also_shows_inactive_controls() {
    // The pulse plugin has no inactive controls, so `--all` lists exactly what the plain list
    // does (an inactive control needs a kernel driver: the kernel bench's territory).
    let (env, _pulse) = pulse_env();
    let plain = env.run(&["mixer", "-d", "pulse"]);
    plain.success();
    let all = env.run(&["mixer", "-d", "pulse", "--all"]);
    all.success().stderr_is_empty();
    assert_eq!(all.stdout(), plain.stdout());
    assert!(!all.stdout().contains("(inactive)"), "{}", all.stdout());
    let json = env
        .run(&["mixer", "--all", "--json", "-d", "pulse"])
        .success()
        .json();
    let controls = json["controls"].as_array().unwrap();
    let ids: Vec<&str> = controls.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(
        ids.contains(&"Master") && ids.contains(&"Capture"),
        "{ids:?}"
    );
    assert!(controls.iter().all(|c| c["active"] == true));
}

#[test]
fn set_json_prints_the_new_state_as_get_json_does() {
    let (env, _pulse) = pulse_env();
    let set = env
        .run(&[
            "mixer", "-d", "pulse", "set", "Master", "25%", "mute", "--json",
        ])
        .success()
        .json();
    let get = env
        .run(&["mixer", "-d", "pulse", "get", "Master", "--json"])
        .success()
        .json();
    assert_eq!(set, get);
    assert_eq!(set["device"], "pulse");
    assert_eq!(set["playback"]["channels"][0]["percent"], 25);
    assert_eq!(set["playback"]["channels"][1]["switch"], false);
    // Every documented field is there.
    for key in [
        "id",
        "name",
        "index",
        "active",
        "capabilities",
        "playback",
        "capture",
        "capture_exclusive_group",
        "enum",
    ] {
        assert!(set.get(key).is_some(), "no {key}: {set}");
    }
    for key in [
        "mono",
        "volume",
        "has_switch",
        "volume_joined",
        "switch_joined",
        "channels",
    ] {
        assert!(
            set["playback"].get(key).is_some(),
            "no playback.{key}: {set}"
        );
    }
}

#[test]
fn the_other_switch_words_and_channel_lists() {
    let (env, pulse) = pulse_env();
    env.run(&["mixer", "-d", "pulse", "set", "Master", "off"])
        .success();
    env.run(&["mixer", "-d", "pulse", "set", "Master", "on"])
        .success();
    assert!(!sink_muted(&pulse));
    env.run(&["mixer", "-d", "pulse", "set", "Master", "mute"])
        .success();
    env.run(&["mixer", "-d", "pulse", "set", "Master", "unmute"])
        .success();
    assert!(!sink_muted(&pulse));
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "norec"])
        .success();
    assert!(source_muted(&pulse));
    env.run(&["mixer", "-d", "pulse", "set", "Capture", "rec"])
        .success();
    assert!(!source_muted(&pulse));
    // A channel word before a comma: `front,50%` sets both front channels.
    env.run(&["mixer", "-d", "pulse", "set", "Master", "front,50%"])
        .success();
    assert_eq!(sink_percents(&pulse), [50, 50]);
}

#[test]
fn a_set_failing_in_a_later_step_changes_nothing() {
    let (env, pulse) = pulse_env();
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "40%"]);
    env.run(&[
        "mixer", "-d", "pulse", "set", "Master", "30%", "mute", "1%,2%,3%",
    ])
    .fails_with(&["3 values", "2 channels"]);
    assert_eq!(sink_percents(&pulse), [40, 40]);
    assert!(!sink_muted(&pulse));
    env.run(&[
        "mixer", "-d", "pulse", "set", "Capture", "20%", "nocap", "mute",
    ])
    .fails_with(&["no playback switch"]);
    assert_eq!(source_percents(&pulse), [100, 100]);
    assert!(!source_muted(&pulse));
}

/// Builds a shared object that makes alsa-lib's first `snd_mixer_selem_set_playback_switch`
/// fail with EIO and passes every later call on: a write failing after others succeeded.
fn failing_switch_shim(env: &TestEnv) -> std::path::PathBuf {
    crate::util::require_tool("cc");
    let source = env.path("fail_switch.c");
    crate::util::write_file(
        &source,
        br#"#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
typedef int (*set_switch_fn)(void *, int, int);
static int calls;
int snd_mixer_selem_set_playback_switch(void *elem, int channel, int value) {
    set_switch_fn real = (set_switch_fn)dlsym(RTLD_NEXT, "snd_mixer_selem_set_playback_switch");
    if (calls++ == 0 || !real)
        return -EIO;
    return real(elem, channel, value);
}
"#,
    );
    let shim = env.path("fail_switch.so");
    let source_text = source.display().to_string();
    let shim_text = shim.display().to_string();
    env.run_tool(
        "cc",
        &["-shared", "-fPIC", "-o", &shim_text, &source_text, "-ldl"],
    )
    .success();
    shim
}

#[test]
fn a_write_failing_part_way_is_rolled_back() {
    let (env, pulse) = pulse_env();
    let shim = failing_switch_shim(&env);
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "70%", "60%"]);
    // Both volumes are written (pulse sees 30%), then the switch fails: the volumes go back.
    let args = ["mixer", "-d", "pulse", "set", "Master", "30%", "mute"];
    let mut cmd = env.alsatool();
    cmd.env("LD_PRELOAD", &shim).args(args);
    Run::of(&mut cmd, &args)
        .fails_with(&[
            "cannot set the playback switch of Front Left of 'Master'",
            "Input/output error",
            "the values from before are restored",
        ])
        .code_is(1);
    assert_eq!(sink_percents(&pulse), [70, 60], "rolled back");
    assert!(!sink_muted(&pulse));
    let sget = amixer_sget(&env, "Master");
    assert!(
        sget.contains("Front Left: Playback 45875 [70%] [on]"),
        "{sget}"
    );
    // Without the shim the same set goes through.
    env.run(&args).success();
    assert_eq!(sink_percents(&pulse), [30, 30]);
    assert!(sink_muted(&pulse));
}

/// Starts `mixer watch` with `-v` and waits until it listens.
fn start_watch(env: &TestEnv) -> std::process::Child {
    let mut child = env
        .alsatool()
        .args(["-v", "mixer", "-d", "pulse", "watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let started = lines.any(|l| l.map(|l| l.contains("watching 'pulse'")).unwrap_or(false));
    assert!(started, "watch did not start");
    // Keep reading so the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

#[test]
fn watch_ends_cleanly_on_sigterm_and_sighup() {
    let (env, _pulse) = pulse_env();
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let mut child = start_watch(&env);
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = crate::util::wait_for_exit(&mut child, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("watch did not end on signal {signal}"));
        assert_eq!(status.code(), Some(0), "signal {signal}");
    }
}
