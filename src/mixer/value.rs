//! amixer's value language for `mixer set`, parsed into a plan before anything is changed.
//!
//! Each argument is `[CHANNELS[,]][DIRECTION[,]]VALUE[,VALUE…]`, as in amixer's `sset_channels`:
//! - a channel word (`front`, `rear`, `center`, `woofer`, `frontleft`, `side`, …) or a
//!   direction word (`playback`, `capture`) picks what the values after it change, for the
//!   rest of the arguments;
//! - a value is a volume (`50%`, `-3dB`, `40000`, each optionally followed by `+` or `-` to
//!   step relative to the current value) or a switch word (`mute`/`off`, `unmute`/`on`,
//!   `toggle`, `cap`/`rec`, `nocap`/`norec`);
//! - a comma list gives one value per channel, in the control's channel order; channels past
//!   the list keep their value. A single value applies to every channel.
//!
//! Enumerated controls take item names or indexes instead ([`parse_enum`]).

/// How far to move or where to put a volume.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Amount {
    /// A percent on the chosen scale (alsamixer's mapped or amixer's linear).
    Percent(f64),
    /// A gain in hundredths of a dB (amixer truncates `-3.456dB` to -345).
    CentiDb(i64),
    /// A raw step of the control.
    Raw(i64),
}

/// Set to an amount, or step up or down by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    To,
    Up,
    Down,
}

/// A switch's new state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchState {
    On,
    Off,
    Toggle,
}

/// Which switch a switch word means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchKind {
    /// `mute`, `unmute`, `on`, `off`: the playback switch.
    Playback,
    /// `cap`, `nocap`, `rec`, `norec`: the capture switch.
    Capture,
    /// `toggle`: whichever switches the chosen directions have.
    Any,
}

/// One value for one channel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Volume(Amount, Change),
    Switch(SwitchKind, SwitchState),
}

/// Which directions a step changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Directions {
    pub playback: bool,
    pub capture: bool,
}

impl Directions {
    pub const BOTH: Directions = Directions {
        playback: true,
        capture: true,
    };
}

/// A set of channel ids (bit n = alsa-lib channel n); `ALL` by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Channels(pub u32);

impl Channels {
    pub const ALL: Channels = Channels(u32::MAX);

    pub fn contains(self, channel: u32) -> bool {
        channel < 32 && self.0 & (1 << channel) != 0
    }
}

/// One argument's worth of change.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The argument as written, for error messages.
    pub text: String,
    pub channels: Channels,
    pub directions: Directions,
    /// One value for every channel, or one per channel in order.
    pub values: Vec<Value>,
    /// The channel and direction words in force ("rear", "capture"), for error messages.
    pub picked: Vec<String>,
}

// alsa-lib channel ids (SND_MIXER_SCHN_*).
const FRONT_LEFT: u32 = 0;
const FRONT_RIGHT: u32 = 1;
const REAR_LEFT: u32 = 2;
const REAR_RIGHT: u32 = 3;
const FRONT_CENTER: u32 = 4;
const WOOFER: u32 = 5;
const SIDE_LEFT: u32 = 6;
const SIDE_RIGHT: u32 = 7;
const REAR_CENTER: u32 = 8;

/// amixer's channel words (`chanmask`), plus the side and rear-center channels it lacks.
pub const CHANNEL_WORDS: &[(&str, &[u32])] = &[
    ("frontleft", &[FRONT_LEFT]),
    ("frontright", &[FRONT_RIGHT]),
    ("frontcenter", &[FRONT_CENTER]),
    ("front", &[FRONT_LEFT, FRONT_RIGHT]),
    ("center", &[FRONT_CENTER]),
    ("rearleft", &[REAR_LEFT]),
    ("rearright", &[REAR_RIGHT]),
    ("rearcenter", &[REAR_CENTER]),
    ("rear", &[REAR_LEFT, REAR_RIGHT]),
    ("woofer", &[WOOFER]),
    ("sideleft", &[SIDE_LEFT]),
    ("sideright", &[SIDE_RIGHT]),
    ("side", &[SIDE_LEFT, SIDE_RIGHT]),
];

/// What `set` takes, for error messages.
pub const FORMS: &str = "a volume (50%, -3dB, 40000, or 5%+, 2dB-, 100+ to step; 80%,40% per \
channel), mute/unmute, toggle, cap/nocap, a channel word (front, rear, center, woofer, \
frontleft, …) or playback/capture";

/// Takes a leading word from `text` when it is one of `words` followed by the end or a comma
/// (case-insensitive, whole words, unlike amixer's prefix match that reads `frontal` as front).
fn take_word<'t, T: Copy>(text: &'t str, words: &[(&str, T)]) -> Option<(T, &'t str)> {
    let (head, rest) = match text.split_once(',') {
        Some((head, rest)) => (head, rest),
        None => (text, ""),
    };
    words
        .iter()
        .find(|(word, _)| head.eq_ignore_ascii_case(word))
        .map(|&(_, value)| (value, rest))
}

/// Why `set`'s arguments are no plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `piece` (part of the argument `arg`) is no value.
    BadValue { piece: String, arg: String },
    /// Only channel or direction words, nothing to set.
    NothingToSet(String),
}

impl ParseError {
    /// The message, with `takes` saying what the control takes (or [`FORMS`]).
    pub fn message(&self, control: &str, takes: &str) -> String {
        match self {
            ParseError::BadValue { piece, arg } if piece == arg => {
                format!("'{piece}' is not a value {control} takes; it takes {takes}")
            }
            ParseError::BadValue { piece, arg } => {
                format!("'{piece}' in '{arg}' is not a value {control} takes; it takes {takes}")
            }
            ParseError::NothingToSet(args) => format!(
                "nothing to set: '{args}' only picks channels or a direction; add a value such as 50% or mute"
            ),
        }
    }
}

/// Parses `set`'s arguments (after the control) into steps.
pub fn parse(args: &[String]) -> Result<Vec<Step>, ParseError> {
    let mut channels = Channels::ALL;
    let mut directions = Directions::BOTH;
    let mut steps = Vec::new();
    let (mut channel_word, mut direction_word) = (None, None);
    for arg in args {
        let mut rest = arg.trim();
        if let Some((ids, after)) = take_word(rest, CHANNEL_WORDS) {
            channels = Channels(ids.iter().fold(0, |mask, id| mask | 1 << id));
            channel_word = rest.split(',').next().map(str::to_string);
            rest = after;
        }
        let direction_words = [
            (
                "playback",
                Directions {
                    playback: true,
                    capture: false,
                },
            ),
            (
                "capture",
                Directions {
                    playback: false,
                    capture: true,
                },
            ),
        ];
        if let Some((dirs, after)) = take_word(rest, &direction_words) {
            directions = dirs;
            direction_word = rest.split(',').next().map(str::to_string);
            rest = after;
        }
        if rest.is_empty() {
            continue;
        }
        let values = rest
            .split(',')
            .map(|piece| parse_value(piece.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|piece| ParseError::BadValue {
                piece,
                arg: arg.clone(),
            })?;
        steps.push(Step {
            text: arg.clone(),
            channels,
            directions,
            values,
            picked: channel_word
                .iter()
                .chain(&direction_word)
                .cloned()
                .collect(),
        });
    }
    if steps.is_empty() {
        return Err(ParseError::NothingToSet(args.join(" ")));
    }
    Ok(steps)
}

/// Parses one value; the error is the piece that is no value.
pub fn parse_value(piece: &str) -> Result<Value, String> {
    let switch = |kind, state| Ok(Value::Switch(kind, state));
    match piece.to_ascii_lowercase().as_str() {
        "mute" | "off" => return switch(SwitchKind::Playback, SwitchState::Off),
        "unmute" | "on" => return switch(SwitchKind::Playback, SwitchState::On),
        "toggle" => return switch(SwitchKind::Any, SwitchState::Toggle),
        "cap" | "rec" => return switch(SwitchKind::Capture, SwitchState::On),
        "nocap" | "norec" => return switch(SwitchKind::Capture, SwitchState::Off),
        _ => {}
    }
    parse_volume(piece).ok_or_else(|| piece.to_string())
}

/// `[+-]N[.N](%|dB)?[+-]?`
fn parse_volume(piece: &str) -> Option<Value> {
    let (body, change) = match piece.as_bytes().last()? {
        // A trailing sign after at least one digit is a step; a lone "-" is not a value.
        b'+' if piece.len() > 1 => (&piece[..piece.len() - 1], Change::Up),
        b'-' if piece.len() > 1 => (&piece[..piece.len() - 1], Change::Down),
        _ => (piece, Change::To),
    };
    let lower = body.to_ascii_lowercase();
    let (number, unit) = if let Some(n) = lower.strip_suffix('%') {
        (n, "%")
    } else if let Some(n) = lower.strip_suffix("db") {
        (n, "dB")
    } else {
        (lower.as_str(), "")
    };
    let digits = number.strip_prefix(['+', '-']).unwrap_or(number);
    let well_formed = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !well_formed {
        return None;
    }
    let amount = match unit {
        "%" => Amount::Percent(number.parse::<f64>().ok().filter(|p| p.is_finite())?),
        // amixer: (long)(strtod(s) * 100), truncating toward zero.
        "dB" => {
            Amount::CentiDb((number.parse::<f64>().ok().filter(|d| d.abs() < 1e7)? * 100.0) as i64)
        }
        _ => Amount::Raw(number.parse::<i64>().ok()?),
    };
    Some(Value::Volume(amount, change))
}

/// One enumerated item chosen by name or index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumChoice {
    Name(String),
    Index(u32),
}

/// Parses the values for an enumerated control: item names or indexes, one per channel
/// (comma-separated or as separate arguments). An argument that is a whole item name is taken
/// as one even when it contains a comma.
pub fn parse_enum(args: &[String], items: &[String]) -> Vec<EnumChoice> {
    let mut choices = Vec::new();
    for arg in args {
        if items.iter().any(|item| item.eq_ignore_ascii_case(arg)) {
            choices.push(EnumChoice::Name(arg.clone()));
            continue;
        }
        for piece in arg.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let is_name = items.iter().any(|item| item.eq_ignore_ascii_case(piece));
            match piece.parse::<u32>() {
                Ok(index) if !is_name => choices.push(EnumChoice::Index(index)),
                _ => choices.push(EnumChoice::Name(piece.to_string())),
            }
        }
    }
    choices
}

/// The item index a choice means: an exact name first, then a unique case-insensitive one.
pub fn resolve_enum(choice: &EnumChoice, items: &[String]) -> Option<u32> {
    match choice {
        EnumChoice::Index(i) => (*i < items.len() as u32).then_some(*i),
        EnumChoice::Name(name) => {
            if let Some(i) = items.iter().position(|item| item == name) {
                return Some(i as u32);
            }
            let matches: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.eq_ignore_ascii_case(name))
                .map(|(i, _)| i)
                .collect();
            match matches[..] {
                [only] => Some(only as u32),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn values(list: &[&str]) -> Vec<Value> {
        let steps = parse(&args(list)).unwrap();
        steps.into_iter().flat_map(|s| s.values).collect()
    }

    #[test]
    fn volumes() {
        use Amount::*;
        use Change::*;
        assert_eq!(values(&["50%"]), [Value::Volume(Percent(50.0), To)]);
        assert_eq!(values(&["-3dB"]), [Value::Volume(CentiDb(-300), To)]);
        assert_eq!(values(&["-3.456db"]), [Value::Volume(CentiDb(-345), To)]);
        assert_eq!(values(&["+1.5DB"]), [Value::Volume(CentiDb(150), To)]);
        assert_eq!(values(&["40000"]), [Value::Volume(Raw(40000), To)]);
        assert_eq!(values(&["5%+"]), [Value::Volume(Percent(5.0), Up)]);
        assert_eq!(values(&["5%-"]), [Value::Volume(Percent(5.0), Down)]);
        assert_eq!(values(&["2dB+"]), [Value::Volume(CentiDb(200), Up)]);
        assert_eq!(values(&["0.5dB-"]), [Value::Volume(CentiDb(50), Down)]);
        assert_eq!(values(&["3+"]), [Value::Volume(Raw(3), Up)]);
        assert_eq!(values(&["3-"]), [Value::Volume(Raw(3), Down)]);
        assert_eq!(values(&["12.5%"]), [Value::Volume(Percent(12.5), To)]);
        assert_eq!(
            values(&["80%,40%"]),
            [
                Value::Volume(Percent(80.0), To),
                Value::Volume(Percent(40.0), To)
            ]
        );
    }

    #[test]
    fn switches() {
        use SwitchKind::*;
        use SwitchState::*;
        for (word, value) in [
            ("mute", Value::Switch(Playback, Off)),
            ("OFF", Value::Switch(Playback, Off)),
            ("unmute", Value::Switch(Playback, On)),
            ("on", Value::Switch(Playback, On)),
            ("toggle", Value::Switch(Any, Toggle)),
            ("cap", Value::Switch(Capture, On)),
            ("Rec", Value::Switch(Capture, On)),
            ("nocap", Value::Switch(Capture, Off)),
            ("norec", Value::Switch(Capture, Off)),
        ] {
            assert_eq!(values(&[word]), [value], "{word}");
        }
        assert_eq!(
            values(&["on,off"]),
            [Value::Switch(Playback, On), Value::Switch(Playback, Off)]
        );
    }

    #[test]
    fn several_values_like_amixer() {
        let steps = parse(&args(&["50%", "unmute"])).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(
            steps[1].values,
            [Value::Switch(SwitchKind::Playback, SwitchState::On)]
        );
    }

    #[test]
    fn channel_and_direction_words_carry_over() {
        let steps = parse(&args(&["front", "50%", "rear,capture,20%", "cap"])).unwrap();
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[0].channels, Channels(0b11));
        assert_eq!(steps[0].directions, Directions::BOTH);
        assert_eq!(steps[1].channels, Channels(0b1100));
        assert_eq!(
            steps[1].directions,
            Directions {
                playback: false,
                capture: true
            }
        );
        assert_eq!(steps[2].channels, Channels(0b1100));
        assert_eq!(steps[2].picked, ["rear", "capture"]);
        let steps = parse(&args(&["frontleft,50%", "woofer", "playback", "mute"])).unwrap();
        assert_eq!(steps[0].channels, Channels(1));
        assert_eq!(steps[1].channels, Channels(1 << 5));
        assert!(!steps[1].directions.capture);
        let steps = parse(&args(&["Center", "10%"])).unwrap();
        assert_eq!(steps[0].channels, Channels(1 << 4));
        assert!(Channels::ALL.contains(31));
        assert!(!Channels(1).contains(1));
    }

    #[test]
    fn bad_values_say_what_set_takes() {
        for bad in [
            "banana", "50%%", "3dBx", "-", "+", "1.2.3", "5%+-", "%", "dB", "frontal",
        ] {
            let err = parse(&args(&[bad])).unwrap_err();
            assert_eq!(
                err,
                ParseError::BadValue {
                    piece: bad.into(),
                    arg: bad.into()
                }
            );
            let text = err.message("'Master'", FORMS);
            assert!(
                text.contains(&format!("'{bad}' is not a value 'Master' takes")),
                "{text}"
            );
            assert!(text.contains("mute/unmute"), "{text}");
        }
        let err = parse(&args(&["50%,banana"])).unwrap_err();
        assert!(
            err.message("'Master'", FORMS)
                .contains("'banana' in '50%,banana'"),
            "{err:?}"
        );
        let err = parse(&args(&["front"])).unwrap_err();
        assert!(
            err.message("'Master'", FORMS).contains("nothing to set"),
            "{err:?}"
        );
        assert!(parse(&args(&["1.5"])).is_err(), "raw steps are whole");
    }

    #[test]
    fn enum_items_by_name_or_index() {
        let items = args(&["Mic", "Line", "CD", "Mic Boost, Front"]);
        let choices = parse_enum(&args(&["line"]), &items);
        assert_eq!(choices, [EnumChoice::Name("line".into())]);
        assert_eq!(resolve_enum(&choices[0], &items), Some(1));
        let choices = parse_enum(&args(&["2"]), &items);
        assert_eq!(resolve_enum(&choices[0], &items), Some(2));
        let choices = parse_enum(&args(&["mic,CD"]), &items);
        assert_eq!(choices.len(), 2);
        assert_eq!(resolve_enum(&choices[1], &items), Some(2));
        let choices = parse_enum(&args(&["mic boost, front"]), &items);
        assert_eq!(resolve_enum(&choices[0], &items), Some(3));
        assert_eq!(resolve_enum(&EnumChoice::Index(4), &items), None);
        assert_eq!(resolve_enum(&EnumChoice::Name("Tape".into()), &items), None);
        // Exact case wins over a case-insensitive twin.
        let twins = args(&["mic", "Mic"]);
        assert_eq!(
            resolve_enum(&EnumChoice::Name("Mic".into()), &twins),
            Some(1)
        );
        assert_eq!(resolve_enum(&EnumChoice::Name("MIC".into()), &twins), None);
    }
}
