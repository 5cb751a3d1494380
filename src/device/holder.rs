//! Who holds a busy PCM, so "the device is in use" can name the program to stop.
//!
//! The kernel shows every open substream in `/proc/asound/cardN/pcmD{p,c}/subS/status`
//! (`owner_pid   : 1234` while it is open, `closed` otherwise), and every process's open files in
//! `/proc/PID/fd` (a PCM is a link to `/dev/snd/pcmCND{D}{p,c}`); the program's name is
//! `/proc/PID/comm`. Which card and device a device string means is read from the string where
//! it says so (`hw:0`, `hw:1,3`, `plughw:CARD=PCH,DEV=0`, `dmix:PCH`, …), card ids through
//! `/proc/asound/cards`; otherwise every PCM of the direction is looked at.
//!
//! Everything takes the root of the proc tree, so tests build a fake one in a temporary
//! directory.

use std::fmt;
use std::fs;
use std::path::Path;

use super::Direction;

/// At most this many holders are named.
const MAX_NAMED: usize = 3;

/// A process that has a PCM open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// `/proc/PID/comm`, when it can be read.
    pub name: Option<String>,
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} (pid {})", self.pid),
            None => write!(f, "pid {}", self.pid),
        }
    }
}

/// The kernel PCM a device string names, as far as the string tells: `None` is "any".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcmTarget {
    pub card: Option<u32>,
    pub device: Option<u32>,
}

impl PcmTarget {
    pub const ANY: PcmTarget = PcmTarget {
        card: None,
        device: None,
    };

    fn matches(&self, card: u32, device: u32) -> bool {
        self.card.is_none_or(|c| c == card) && self.device.is_none_or(|d| d == device)
    }
}

/// The holders of the PCM `device` names in `direction`, as one phrase ("pipewire (pid 1234)",
/// "aplay (pid 7) and arecord (pid 9)"), or `None` when none is found.
pub fn describe(device: &str, direction: Direction, proc_root: &Path) -> Option<String> {
    let target = target_of(device, proc_root);
    let holders = find_holders(proc_root, target, direction, std::process::id());
    let named: Vec<String> = holders
        .iter()
        .take(MAX_NAMED)
        .map(|h| h.to_string())
        .collect();
    match named.len() {
        0 => None,
        1 => Some(named[0].clone()),
        n => {
            let more = if holders.len() > n { " and others" } else { "" };
            Some(format!(
                "{} and {}{more}",
                named[..n - 1].join(", "),
                named[n - 1]
            ))
        }
    }
}

/// Which card and device a device string means. `hw`, `plughw`, `dmix` and `dsnoop` take
/// `CARD,DEV,SUBDEV` (positionally or as `KEY=VALUE`; DEV defaults to 0, as in alsa.conf);
/// the card-wide names (`sysdefault`, `front`, `surround51`, `hdmi`, …) tell only the card;
/// `plug:SLAVE` is its slave's. Anything else (`default`, `pulse`, a name from an asoundrc)
/// could be any PCM.
pub fn target_of(device: &str, proc_root: &Path) -> PcmTarget {
    let device = unquote(device.trim());
    let Some((plugin, args)) = device.split_once(':') else {
        return PcmTarget::ANY;
    };
    let with_device = match plugin {
        "hw" | "plughw" | "dmix" | "dsnoop" => true,
        "sysdefault" | "front" | "rear" | "center_lfe" | "side" | "iec958" | "spdif" | "hdmi"
        | "surround21" | "surround40" | "surround41" | "surround50" | "surround51"
        | "surround71" => false,
        "plug" => return target_of(args, proc_root),
        _ => return PcmTarget::ANY,
    };
    let mut card = None;
    let mut dev = None;
    for (position, arg) in args.split(',').enumerate() {
        let (key, value) = match arg.split_once('=') {
            Some((key, value)) => (key.trim().to_ascii_uppercase(), value),
            None => (
                match position {
                    0 => "CARD".to_string(),
                    1 => "DEV".to_string(),
                    _ => continue,
                },
                arg,
            ),
        };
        let value = unquote(value.trim());
        match key.as_str() {
            "CARD" => card = Some(value.to_string()),
            "DEV" => dev = Some(value.to_string()),
            _ => {}
        }
    }
    let card = card.and_then(|c| card_index(&c, proc_root));
    let device = match (with_device, dev) {
        (false, _) => None,
        (true, None) => Some(0),
        (true, Some(d)) => d.parse().ok(),
    };
    match card {
        Some(card) => PcmTarget {
            card: Some(card),
            device,
        },
        // A card we cannot place: any card, but the device number still narrows it.
        None => PcmTarget { card: None, device },
    }
}

fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

/// A card's index from its index or id (`0`, `PCH`), by `/proc/asound/cards`, whose lines read
/// ` 0 [PCH            ]: HDA-Intel - HDA Intel PCH`.
pub fn card_index(card: &str, proc_root: &Path) -> Option<u32> {
    if let Ok(index) = card.parse() {
        return Some(index);
    }
    let cards = fs::read_to_string(proc_root.join("asound/cards")).ok()?;
    cards.lines().find_map(|line| {
        let (index, rest) = line.trim_start().split_once(' ')?;
        let id = rest
            .trim_start()
            .strip_prefix('[')?
            .split(']')
            .next()?
            .trim();
        (id == card).then(|| index.parse().ok()).flatten()
    })
}

/// The pid in a substream's status file, while the substream is open.
pub fn owner_pid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "owner_pid")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .filter(|&pid| pid != 0)
}

/// The card, device and direction letter of a `/dev/snd/pcmC0D3p` path.
pub fn pcm_node(path: &str) -> Option<(u32, u32, char)> {
    let rest = path.strip_prefix("/dev/snd/pcmC")?;
    let (card, rest) = rest.split_once('D')?;
    let letter = rest.chars().last()?;
    let device = rest.strip_suffix(letter)?;
    if !matches!(letter, 'p' | 'c') {
        return None;
    }
    Some((card.parse().ok()?, device.parse().ok()?, letter))
}

fn letter(direction: Direction) -> char {
    match direction {
        Direction::Playback => 'p',
        Direction::Capture => 'c',
    }
}

/// `prefix` followed by a number: that number.
fn numbered(name: &str, prefix: &str) -> Option<u32> {
    name.strip_prefix(prefix)?.parse().ok()
}

fn dir_names(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// The pids the kernel shows as owners of the target's substreams in `direction`.
fn status_owners(proc_root: &Path, target: PcmTarget, direction: Direction) -> Vec<u32> {
    let asound = proc_root.join("asound");
    let mut pids = Vec::new();
    for card_name in dir_names(&asound) {
        let Some(card) = numbered(&card_name, "card") else {
            continue;
        };
        let card_dir = asound.join(&card_name);
        for pcm_name in dir_names(&card_dir) {
            let Some(device) = pcm_name
                .strip_suffix(letter(direction))
                .and_then(|n| numbered(n, "pcm"))
            else {
                continue;
            };
            if !target.matches(card, device) {
                continue;
            }
            let pcm_dir = card_dir.join(&pcm_name);
            for sub in dir_names(&pcm_dir) {
                if numbered(&sub, "sub").is_none() {
                    continue;
                }
                let status = fs::read_to_string(pcm_dir.join(&sub).join("status"));
                if let Some(pid) = status.ok().as_deref().and_then(owner_pid) {
                    pids.push(pid);
                }
            }
        }
    }
    pids
}

/// The pids with a file open on the target's PCM nodes in `direction` (those whose `fd`
/// directory can be read).
fn fd_holders(proc_root: &Path, target: PcmTarget, direction: Direction) -> Vec<u32> {
    let mut pids: Vec<u32> = dir_names(proc_root)
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect();
    pids.sort_unstable();
    pids.into_iter()
        .filter(|pid| {
            let fds = proc_root.join(pid.to_string()).join("fd");
            fs::read_dir(fds).into_iter().flatten().flatten().any(|fd| {
                let Ok(link) = fs::read_link(fd.path()) else {
                    return false;
                };
                link.to_str()
                    .and_then(pcm_node)
                    .is_some_and(|(card, device, l)| {
                        l == letter(direction) && target.matches(card, device)
                    })
            })
        })
        .collect()
}

/// Every process holding the target's PCM in `direction`, other than `own_pid`: the owners the
/// kernel shows first, then those found by their open files; each once, with its name.
pub fn find_holders(
    proc_root: &Path,
    target: PcmTarget,
    direction: Direction,
    own_pid: u32,
) -> Vec<Holder> {
    let mut pids = status_owners(proc_root, target, direction);
    pids.extend(fd_holders(proc_root, target, direction));
    let mut holders: Vec<Holder> = Vec::new();
    for pid in pids {
        if pid == own_pid || holders.iter().any(|h| h.pid == pid) {
            continue;
        }
        let name = fs::read_to_string(proc_root.join(pid.to_string()).join("comm"))
            .ok()
            .map(|c| c.trim_end_matches('\n').to_string())
            .filter(|c| !c.is_empty());
        holders.push(Holder { pid, name });
    }
    holders
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fake proc tree: two cards (0 `PCH`, 1 `USB`), pipewire (pid 1234) running hw:0,0
    /// playback, arecord (pid 555) holding hw:1,0 capture by its open file only, and a closed
    /// substream.
    fn fake_proc() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "asound/cards",
            " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000 irq 32\n 1 [USB            ]: USB-Audio - USB Audio\n                      Generic USB Audio at usb-0000:00:14.0-1\n",
        );
        write(
            "asound/card0/pcm0p/sub0/status",
            "state: RUNNING\nowner_pid   : 1234\ntrigger_time: 100.5\n",
        );
        write("asound/card0/pcm0p/sub1/status", "closed\n");
        write("asound/card0/pcm0c/sub0/status", "closed\n");
        write("asound/card0/pcm3p/sub0/status", "closed\n");
        write("asound/card1/pcm0c/sub0/status", "closed\n");
        write("1234/comm", "pipewire\n");
        write("555/comm", "arecord\n");
        fs::create_dir_all(root.join("555/fd")).unwrap();
        std::os::unix::fs::symlink("/dev/snd/pcmC1D0c", root.join("555/fd/4")).unwrap();
        std::os::unix::fs::symlink("/dev/null", root.join("555/fd/0")).unwrap();
        fs::create_dir_all(root.join("77/fd")).unwrap();
        std::os::unix::fs::symlink("/dev/snd/controlC0", root.join("77/fd/3")).unwrap();
        dir
    }

    fn target(card: Option<u32>, device: Option<u32>) -> PcmTarget {
        PcmTarget { card, device }
    }

    #[test]
    fn device_strings_name_cards_and_devices() {
        let proc = fake_proc();
        let t = |d: &str| target_of(d, proc.path());
        assert_eq!(t("hw:0"), target(Some(0), Some(0)));
        assert_eq!(t("hw:1,3"), target(Some(1), Some(3)));
        assert_eq!(t("hw:1,3,0"), target(Some(1), Some(3)));
        assert_eq!(t("plughw:1"), target(Some(1), Some(0)));
        assert_eq!(t("hw:CARD=PCH,DEV=2"), target(Some(0), Some(2)));
        assert_eq!(t("plughw:DEV=1,CARD=USB"), target(Some(1), Some(1)));
        assert_eq!(t("hw:\"USB\",0"), target(Some(1), Some(0)));
        assert_eq!(t("hw:'PCH'"), target(Some(0), Some(0)));
        assert_eq!(t("dmix:USB"), target(Some(1), Some(0)));
        assert_eq!(t("front:CARD=PCH,DEV=0"), target(Some(0), None));
        assert_eq!(t("sysdefault:USB"), target(Some(1), None));
        assert_eq!(t("plug:hw:1,2"), target(Some(1), Some(2)));
        assert_eq!(t("plug:'hw:1,2'"), target(Some(1), Some(2)));
        // Unknown card ids and names that could be anything.
        assert_eq!(t("hw:CARD=Nope,DEV=1"), target(None, Some(1)));
        assert_eq!(t("hw:0,x"), target(Some(0), None));
        assert_eq!(t("default"), PcmTarget::ANY);
        assert_eq!(t("pulse"), PcmTarget::ANY);
        assert_eq!(t("file:'out.raw',raw"), PcmTarget::ANY);
        assert_eq!(card_index("PCH", proc.path()), Some(0));
        assert_eq!(card_index("USB", proc.path()), Some(1));
        assert_eq!(card_index("HDA", proc.path()), None);
        assert_eq!(card_index("USB", &PathBuf::from("/nonexistent")), None);
    }

    #[test]
    fn status_and_node_parsing() {
        assert_eq!(
            owner_pid("state: RUNNING\nowner_pid   : 1234\ntrigger_time: 1.0\n"),
            Some(1234)
        );
        assert_eq!(owner_pid("state: PREPARED\nowner_pid   : 42\n"), Some(42));
        assert_eq!(owner_pid("closed\n"), None);
        assert_eq!(owner_pid("owner_pid   : 0\n"), None);
        assert_eq!(owner_pid(""), None);
        assert_eq!(pcm_node("/dev/snd/pcmC0D3p"), Some((0, 3, 'p')));
        assert_eq!(pcm_node("/dev/snd/pcmC12D0c"), Some((12, 0, 'c')));
        assert_eq!(pcm_node("/dev/snd/controlC0"), None);
        assert_eq!(pcm_node("/dev/snd/pcmC0D3x"), None);
        assert_eq!(pcm_node("/dev/snd/pcmC0Dp"), None);
        assert_eq!(pcm_node("/dev/null"), None);
    }

    #[test]
    fn holders_by_status_and_by_open_files() {
        let proc = fake_proc();
        let root = proc.path();
        let pipewire = || Holder {
            pid: 1234,
            name: Some("pipewire".into()),
        };
        let arecord = || Holder {
            pid: 555,
            name: Some("arecord".into()),
        };
        let find = |t, d| find_holders(root, t, d, 1);
        assert_eq!(
            find(target(Some(0), Some(0)), Direction::Playback),
            [pipewire()]
        );
        assert_eq!(find(target(Some(0), Some(3)), Direction::Playback), []);
        assert_eq!(find(target(Some(0), Some(0)), Direction::Capture), []);
        assert_eq!(
            find(target(Some(1), Some(0)), Direction::Capture),
            [arecord()]
        );
        assert_eq!(find(PcmTarget::ANY, Direction::Capture), [arecord()]);
        assert_eq!(find(PcmTarget::ANY, Direction::Playback), [pipewire()]);
        // Our own process is never the holder.
        assert_eq!(
            find_holders(root, PcmTarget::ANY, Direction::Playback, 1234),
            []
        );
    }

    #[test]
    fn described_holders() {
        let proc = fake_proc();
        let root = proc.path();
        assert_eq!(
            describe("hw:PCH,0", Direction::Playback, root).as_deref(),
            Some("pipewire (pid 1234)")
        );
        assert_eq!(
            describe("plughw:1", Direction::Capture, root).as_deref(),
            Some("arecord (pid 555)")
        );
        assert_eq!(describe("hw:0,3", Direction::Playback, root), None);
        // Without a name (comm unreadable), the pid alone.
        fs::remove_file(root.join("1234/comm")).unwrap();
        assert_eq!(
            describe("default", Direction::Playback, root).as_deref(),
            Some("pid 1234")
        );
        // Several holders.
        fs::write(
            root.join("asound/card0/pcm0p/sub1/status"),
            "state: RUNNING\nowner_pid   : 555\n",
        )
        .unwrap();
        assert_eq!(
            describe("hw:0", Direction::Playback, root).as_deref(),
            Some("pid 1234 and arecord (pid 555)")
        );
    }
}
