//! A sound card in memory for the model's and the renderer's tests: the kinds of controls a
//! real codec has (a stereo playback volume with dB, a capture volume, inputs whose capture
//! switches form an exclusive group, enumerated controls), and a device that carries out the
//! model's changes on them the way alsa-lib and the kernel would (an exclusive capture switch
//! turned on turns the others of its group off; an item index selects that item on every
//! channel). The kernel bench cannot run a terminal, so this is where enums and capture
//! switches go through the key-event code.

use crate::mixer::control::{Channel, Control, EnumSelection, Enumeration, Limits, Side};

pub fn channel(
    name: &str,
    id: u32,
    percent: Option<i64>,
    db: Option<f64>,
    switch: Option<bool>,
) -> Channel {
    Channel {
        name: name.to_string(),
        id,
        raw: percent,
        percent,
        percent_linear: percent,
        db,
        switch,
    }
}

/// A stereo side: volume with a dB range when `db` is given, a switch when `switch` is.
pub fn stereo(percent: (i64, i64), db: Option<(f64, f64)>, switch: Option<bool>) -> Side {
    Side {
        mono: false,
        volume: Some(Limits {
            min: 0,
            max: 87,
            min_db: db.map(|_| -65.25),
            max_db: db.map(|_| 0.0),
        }),
        has_switch: switch.is_some(),
        volume_joined: false,
        switch_joined: false,
        channels: vec![
            channel("Front Left", 0, Some(percent.0), db.map(|d| d.0), switch),
            channel("Front Right", 1, Some(percent.1), db.map(|d| d.1), switch),
        ],
    }
}

/// A mono side with only a switch.
pub fn switch_only(on: bool) -> Side {
    Side {
        mono: true,
        volume: None,
        has_switch: true,
        volume_joined: false,
        switch_joined: true,
        channels: vec![channel("Mono", 0, None, None, Some(on))],
    }
}

pub fn control(name: &str) -> Control {
    Control {
        id: name.to_string(),
        name: name.to_string(),
        index: 0,
        active: true,
        capabilities: Vec::new(),
        playback: None,
        capture: None,
        capture_exclusive_group: None,
        enumeration: None,
    }
}

pub fn enumerated(name: &str, items: &[&str], selected: u32, capture: bool) -> Control {
    let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    let mut c = control(name);
    c.capabilities = vec![if capture { "cenum" } else { "enum" }];
    c.enumeration = Some(Enumeration {
        selected: ["Front Left", "Front Right"]
            .iter()
            .map(|channel| EnumSelection {
                channel: channel.to_string(),
                index: selected,
                item: items[selected as usize].clone(),
            })
            .collect(),
        items,
    });
    c
}

/// An input with a playback volume and switch and a capture switch in exclusive group 1.
fn input(name: &str, capturing: bool) -> Control {
    let mut c = control(name);
    c.capabilities = vec!["pvolume", "pswitch", "cswitch", "cswitch-exclusive"];
    c.playback = Some(stereo((0, 0), Some((-65.25, -65.25)), Some(false)));
    c.capture = Some(switch_only(capturing));
    c.capture_exclusive_group = Some(1);
    c
}

/// Master (49%, -16.50 dB, on), Headphone (L 40% R 60%, muted on the right), Capture (a capture
/// volume and switch), Mic and Line (exclusive capture switches, Mic capturing), Input Source
/// (a capture enum) and Channel Mode (a playback enum).
pub fn card() -> Vec<Control> {
    let mut master = control("Master");
    master.capabilities = vec!["pvolume", "pswitch"];
    master.playback = Some(stereo((49, 49), Some((-16.5, -16.5)), Some(true)));
    let mut headphone = control("Headphone");
    headphone.capabilities = vec!["pvolume", "pswitch"];
    let mut side = stereo((40, 60), Some((-20.0, -10.0)), Some(true));
    side.channels[1].switch = Some(false);
    headphone.playback = Some(side);
    let mut capture = control("Capture");
    capture.capabilities = vec!["cvolume", "cswitch"];
    capture.capture = Some(stereo((75, 75), Some((-6.0, -6.0)), Some(true)));
    vec![
        master,
        headphone,
        capture,
        input("Mic", true),
        input("Line", false),
        enumerated("Input Source", &["Mic", "Line", "CD"], 0, true),
        enumerated("Channel Mode", &["2ch", "4ch", "6ch"], 0, false),
    ]
}
