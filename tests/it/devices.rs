//! `alsatool devices`: against the null plugin, test PCMs in the private .asoundrc, and the
//! pulse plugin with a private PulseAudio.

use crate::util::{Pulse, TestEnv};

/// The sound cards `aplay -l` sees here, as `card N: ID [NAME]` (none on a machine without
/// /dev/snd, as in CI).
fn aplay_cards(env: &TestEnv) -> Vec<String> {
    let run = env.run_tool("aplay", &["-l"]);
    run.stdout()
        .lines()
        .filter(|l| l.starts_with("card "))
        .filter_map(|l| l.split(", device").next())
        .map(str::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn lists_pcm_names_with_hints_from_the_users_asoundrc_like_aplay_l() {
    let mut env = TestEnv::new();
    env.add_null_pcm("alsatool_described", "A described test sink");
    let run = env.run(&["devices"]);
    run.success()
        .stdout_contains("alsatool_described\n    A described test sink")
        .stdout_contains("alsatool_test_sink\n    alsatool test sink");
    // Every name `aplay -L` lists (at column 0) is listed, with the same first line of its
    // description.
    let aplay = env.run_tool("aplay", &["-L"]);
    aplay.success();
    let ours = run.stdout();
    let theirs = aplay.stdout();
    let mut lines = theirs.lines().peekable();
    let mut names = 0;
    while let Some(name) = lines.next() {
        if name.starts_with(' ') {
            continue;
        }
        names += 1;
        let entry = match lines.peek() {
            Some(d) if d.starts_with("    ") => format!("{name}\n{d}\n"),
            _ => format!("{name}\n"),
        };
        assert!(
            ours.contains(&entry),
            "aplay -L lists {entry:?}, alsatool devices does not:\n{ours}"
        );
    }
    assert!(names >= 3, "aplay -L listed too little:\n{theirs}");
}

#[test]
fn says_whether_there_are_sound_cards_and_still_lists_pcms() {
    let env = TestEnv::new();
    let run = env.run(&["devices"]);
    run.success().stderr_is_empty();
    let stdout = run.stdout();
    let cards = aplay_cards(&env);
    if cards.is_empty() {
        // This machine (and CI): no card at all.
        assert_eq!(
            stdout.lines().next(),
            Some("No sound cards found."),
            "{stdout}"
        );
    } else {
        assert!(!stdout.contains("No sound cards found."), "{stdout}");
        let json = env.run(&["devices", "--json"]).success().json();
        assert_eq!(
            json["cards"].as_array().unwrap().len(),
            cards.len(),
            "aplay -l: {cards:?}\n{json}"
        );
    }
    let pcms = stdout
        .split_once("PCM names:\n")
        .unwrap_or_else(|| panic!("no PCM names:\n{stdout}"))
        .1;
    assert!(
        pcms.contains("alsatool_test_sink\n    alsatool test sink"),
        "{stdout}"
    );
}

#[test]
fn json_listing_has_the_documented_shape() {
    let mut env = TestEnv::new();
    env.add_null_pcm("alsatool_json", "JSON test sink");
    let json = env.run(&["devices", "--json"]).success().json();
    assert!(json["cards"].is_array());
    let names = json["pcm_names"].as_array().expect("pcm_names array");
    let ours = names
        .iter()
        .find(|p| p["name"] == "alsatool_json")
        .expect("hinted PCM in JSON");
    assert_eq!(ours["description"], "JSON test sink");
    assert_eq!(
        ours["directions"],
        serde_json::json!(["playback", "capture"])
    );
}

#[test]
fn direction_filters_keep_only_names_for_that_direction() {
    let mut env = TestEnv::new();
    let raw = env.path("in.raw");
    crate::util::write_file(&raw, &[0u8; 64]);
    env.add_capture_pcm("alsatool_file_capture", &raw);
    for direction in ["playback", "capture"] {
        let json = env
            .run(&["devices", &format!("--{direction}"), "--json"])
            .success()
            .json();
        let names = json["pcm_names"].as_array().unwrap();
        assert!(
            names.iter().any(|p| p["name"] == "alsatool_file_capture"),
            "{json}"
        );
        for name in names {
            let dirs = name["directions"].as_array().unwrap();
            assert!(
                dirs.iter().any(|d| d == direction),
                "{name} in --{direction}"
            );
        }
        for card in json["cards"].as_array().unwrap() {
            for pcm in card["pcm_devices"].as_array().unwrap() {
                assert_eq!(pcm["direction"], direction);
            }
        }
    }
}

#[test]
fn capabilities_of_null() {
    let env = TestEnv::new();
    let run = env.run(&["devices", "null"]);
    run.success()
        .stdout_contains("null (playback):")
        .stdout_contains("null (capture):")
        .stdout_contains("S24_3LE")
        .stdout_contains("FLOAT64_LE");
    let json = env
        .run(&["devices", "null", "--playback", "--json"])
        .success()
        .json();
    assert_eq!(json["device"], "null");
    assert!(json.get("capture").is_none());
    let caps = &json["playback"]["capabilities"];
    assert_eq!(json["playback"]["available"], true);
    assert_eq!(caps["channels"]["min"], 1);
    assert!(caps["formats"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "S16_LE"));
    assert!(caps["rate"]["min"].as_u64().unwrap() <= 8000);
    assert!(caps["rate"]["max"].as_u64().unwrap() >= 192000);
}

#[test]
fn capabilities_of_pulse_with_a_private_server() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    let json = env.run(&["devices", "pulse", "--json"]).success().json();
    for direction in ["playback", "capture"] {
        let caps = &json[direction]["capabilities"];
        assert_eq!(json[direction]["available"], true, "{json}");
        let formats = caps["formats"].as_array().unwrap();
        assert!(formats.iter().any(|f| f == "S16_LE"), "{json}");
        assert!(formats.iter().any(|f| f == "FLOAT_LE"), "{json}");
        assert_eq!(caps["channels"]["min"], 1);
        assert!(caps["channels"]["max"].as_u64().unwrap() >= 2);
    }
    // A PCM of the pulse plugin defined in the test's .asoundrc, under a name and description
    // no system configuration has: listed with its hint, and open through the private server.
    env.add_asoundrc(
        "pcm.alsatool_private_pulse {\n    type pulse\n    hint {\n        show on\n        description \"alsatool private PulseAudio\"\n    }\n}",
    );
    let listing = env.run(&["devices"]).success().stdout();
    assert!(
        listing.contains("alsatool_private_pulse\n    alsatool private PulseAudio"),
        "{listing}"
    );
    let json = env
        .run(&["devices", "alsatool_private_pulse", "--playback", "--json"])
        .success()
        .json();
    assert_eq!(json["playback"]["available"], true, "{json}");
}

#[test]
fn an_unknown_device_gives_one_clear_line() {
    let env = TestEnv::new();
    env.run(&["devices", "alsatool_no_such_pcm"])
        .code_is(1)
        .fails_with(&[
            "'alsatool_no_such_pcm'",
            "no such device",
            "alsatool devices",
        ]);
    env.run(&["devices", "hw:7"])
        .code_is(1)
        .fails_with(&["'hw:7'", "no such device"]);
}

#[test]
fn alsa_libs_own_messages_show_only_with_verbose() {
    let env = TestEnv::new();
    let quiet = env.run(&["devices", "hw:7"]);
    assert!(!quiet.stderr().contains("ALSA lib"), "{}", quiet.stderr());
    let verbose = env.run(&["-v", "devices", "hw:7"]);
    verbose.stderr_contains("ALSA lib");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    use std::process::Stdio;
    let env = TestEnv::new();
    let mut child = env
        .alsatool()
        .args(["devices", "null"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let run = env.run(&["devices", "--playback", "--capture"]);
    run.code_is(2);
    let run = env.run(&["no-such-subcommand"]);
    run.code_is(2);
}

#[test]
fn a_card_that_is_not_there_is_named_and_plugin_devices_offered() {
    let env = TestEnv::new();
    let cards = aplay_cards(&env);
    if cards.is_empty() {
        // This machine (and CI): the error says there is no card at all.
        env.run(&["devices", "hw:0", "--playback"])
            .code_is(1)
            .fails_with(&["'hw:0'", "no sound card", "null, pulse"]);
    } else {
        // ALSA has at most 32 cards: hw:31 is not among those aplay -l found.
        assert!(cards.len() < 32, "{cards:?}");
        env.run(&["devices", "hw:31", "--playback"])
            .code_is(1)
            .fails_with(&["'hw:31'", "no such device"]);
    }
}
