# Helpers sourced by every test in /bench/cases/ (busybox sh). A test passes when it returns normally;
# it calls `fail "reason"` or `skip "reason"` otherwise. It runs in its own empty directory (TEST_DIR)
# with stdout/stderr going to the console log; background processes it leaves are killed afterwards.

DATA=/data
# Card indexes and ids, fixed by /init.
DUMMY=0 AC97=1 RME=2 LOOP=3
# QEMU's emulated cards (real drivers): what HDA, ICH and USB play reaches the host's wav files;
# HDAC and ICHC are the same hardware on a `none` audiodev, for capture (silence in real time).
HDA=4 HDAC=5 ICH=6 ICHC=7 USB=8

# real_volumes_max [CARD...]: the emulated cards' volumes (default: all of them) at maximum and
# unmuted. QEMU applies them to what reaches the wav files; at maximum the samples pass unchanged.
# The play tests run it first, the mixer tests last.
real_volumes_max() {
    # one amixer per card (-s: commands on stdin): every process and mixer open is slow under TCG
    for c in ${*:-$HDA $HDAC $ICH $ICHC $USB}; do
        case $c in
        $HDA | $HDAC) echo 'sset Master 100% unmute' ;;
        $ICH | $ICHC) printf 'sset Master 100%% unmute\nsset PCM 100%% unmute\n' ;;
        $USB) echo "sset 'Audio Output Volume Control' 100% unmute" ;;
        esac | amixer -q -c $c -s || return 1
    done
}

fail() {
    echo "$*" >"$TEST_DIR/.reason"
    echo "FAIL: $*"
    exit 1
}

skip() {
    echo "$*" >"$TEST_DIR/.reason"
    echo "SKIP: $*"
    exit 77
}

# Print a command, then run it.
x() {
    echo "+ $*"
    "$@"
}

# run NAME CMD...: run CMD with stdout in NAME.out and stderr in NAME.err (both echoed), status in $rc.
run() {
    _n=$1
    shift
    echo "+ $*"
    "$@" >"$_n.out" 2>"$_n.err"
    rc=$?
    sed 's/^/  out| /' "$_n.out"
    sed 's/^/  err| /' "$_n.err"
    echo "  (exit $rc)"
    return 0
}

# Fail unless the command succeeds; its output goes to the log.
must() {
    echo "+ $*"
    "$@" || fail "command failed (exit $?): $*"
}

# need_alsatool [SUBCOMMAND]: a missing binary fails the test (skips only when the run was asked to go
# without alsatool, ALSATOOL_BIN=none); a subcommand whose --help fails skips it (and an unexpected
# skip fails the run, see run).
need_alsatool() {
    if ! command -v alsatool >/dev/null 2>&1; then
        [ "$BENCH_ALSATOOL" = none ] && skip "run without alsatool (ALSATOOL_BIN=none)"
        fail "alsatool binary not in the image"
    fi
    if [ -n "$1" ]; then
        alsatool "$1" --help >/dev/null 2>&1 || skip "not implemented (alsatool $1 --help fails)"
    fi
}

# skip_unimplemented NAME: skip when alsatool said the subcommand does not exist yet (NAME.err): its
# own "alsatool: ... not implemented" line, not an errno text such as ENOSYS's "Function not
# implemented".
skip_unimplemented() {
    grep -v 'Function not implemented' "$1.err" 2>/dev/null | grep -q '^alsatool: .*not implemented' &&
        skip "not implemented ($(head -n 1 "$1.err"))"
    return 0
}

# host_check CHECK ARGS...: a check the host makes after the VM has stopped, on what QEMU's emulated
# cards played (the wav files, see run); the test passes only if every one of its checks passes.
#   host_check played CARD REF MAX_LOST [APLAY_REF SLACK]
#     REF (a file in /data) is in CARD's wav output (hda, ac97 or usb), bit-exact except for at
#     most MAX_LOST frames at its end; with APLAY_REF (what aplay played on the same card), it may
#     lose at most SLACK frames more at the end than aplay lost of APLAY_REF.
host_check() { echo "$*" >>"$TEST_DIR/.host"; }

# at NAME ARGS...: run alsatool ARGS like `run`; skip the test if the subcommand is a stub.
at() {
    _n=$1
    shift
    run "$_n" alsatool "$@"
    skip_unimplemented "$_n"
}

# at_bg NAME ARGS...: start alsatool ARGS in the background (NAME.out, NAME.err); its pid in $bg.
at_bg() {
    _n=$1
    shift
    echo "+ alsatool $* &"
    alsatool "$@" >"$_n.out" 2>"$_n.err" &
    bg=$!
}

# show NAME: print NAME.out and NAME.err into the log.
show() {
    sed 's/^/  out| /' "$1.out"
    sed 's/^/  err| /' "$1.err"
}

# wait_gone PID SECONDS: wait for a process to end (status in $rc); fail if it does not.
wait_gone() {
    _i=0
    while kill -0 "$1" 2>/dev/null && [ $_i -lt $(($2 * 20)) ]; do
        usleep 50000
        _i=$((_i + 1))
    done
    kill -0 "$1" 2>/dev/null && fail "process $1 still running after $2 s"
    wait "$1"
    rc=$?
}

# Seconds since boot, with centiseconds.
now() { cut -d' ' -f1 /proc/uptime; }
# elapsed T0: seconds since T0 (from now), as a decimal.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
# fge A B: true when A >= B (decimals).
fge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a+0 >= b+0)}'; }

# wav_field FILE KEY: one field of `benchtool wav-info`.
wav_field() { benchtool wav-info "$1" | sed -n "s/^$2=//p"; }

# wait_pcm_running SUBSTREAM_DIR: wait (at most 5 s) until the substream is in state RUNNING, e.g.
#   wait_pcm_running /proc/asound/card3/pcm1c/sub0     (capture side of hw:Loopback,1,0)
wait_pcm_running() {
    _i=0
    while [ $_i -lt 100 ]; do
        grep -q '^state: RUNNING' "$1/status" 2>/dev/null && return 0
        usleep 50000
        _i=$((_i + 1))
    done
    return 1
}

# Mixer helpers on amixer's simple-control output. The dummy's controls have a common volume (no
# direction word) and separate switches, e.g.
#   Front Left: 25 [50%] [-22.50dB] Capture [off]
# other cards print `Front Left: Playback 25 [50%] [-22.50dB] [on]`.
# mixer_raw CARD CONTROL CHANNEL: the raw volume on that channel's line.
mixer_raw() {
    amixer -c "$1" sget "$2" | awk -v ch="$3:" '
        index($0, ch) == 1 || index($0, " " ch) {
            sub(/^.*: /, "")
            if ($1 ~ /^-?[0-9]+$/) { print $1; exit }
            if (($1 == "Playback" || $1 == "Capture") && $2 ~ /^-?[0-9]+$/) { print $2; exit }
        }'
}
# mixer_limits CARD CONTROL: "MIN MAX" of the playback volume.
mixer_limits() {
    amixer -c "$1" sget "$2" | awk '/Limits:/ { for (i = 1; i <= NF; i++) if ($i == "-") { print $(i-1), $(i+1); exit } }'
}
# mixer_line CARD CONTROL CHANNEL_PREFIX: the whole amixer line for that channel.
mixer_line() { amixer -c "$1" sget "$2" | grep -m1 "^ *$3:"; }

# Reset card 0's Master to a known raw value on both channels, unmuted.
mixer_reset() { amixer -q -c "$DUMMY" sset Master "${1:-0}" unmute >/dev/null; }

# raw_of: "LEFT RIGHT" raw volumes from amixer sget output on stdin.
raw_of() {
    awk '/^ *Front (Left|Right):/ {
            v = $0; sub(/^.*: /, "", v); split(v, f, " ")
            if (f[1] == "Playback" || f[1] == "Capture") r = f[2]; else r = f[1]
            if ($2 == "Left:") l = r; else rr = r
        }
        END { print l, rr }'
}
# raw_lr CARD CONTROL: "LEFT RIGHT" raw volumes.
raw_lr() { amixer -c "$1" sget "$2" | raw_of; }

# same_as_amixer CONTROL START 'ALSATOOL MIXER ARGS' 'AMIXER ARGS': from raw START on card 0 (or
# $MIXER_CARD), apply
# the amixer command (e.g. "-M sset Master 50%"), note the raw volumes, go back to START (all in one
# `amixer -s` session: processes are slow under TCG), apply alsatool mixer -c 0 ARGS; the raw volumes
# must be the same.
same_as_amixer() {
    _am=$4
    _flags=
    case $_am in -M\ *) _flags=-M _am=${_am#-M } ;; esac
    _am=$(echo "$_am" | sed 's/ -- / /') # no option parsing in -s mode
    # shellcheck disable=SC2086
    # in -s mode sget prints nothing but each sset prints the new state: keep the second one
    _c=${MIXER_CARD:-0}
    want=$(printf 'sset %s %s\n%s\nsset %s %s\n' "$1" "$2" "$_am" "$1" "$2" |
        amixer -c $_c $_flags -s | awk '/^Simple mixer control/ { n++ } n == 2' | raw_of)
    # shellcheck disable=SC2086
    at set mixer -c $_c $3
    [ $rc = 0 ] || fail "alsatool mixer -c $_c $3 exited $rc: $(head -n 1 set.err)"
    got=$(raw_lr $_c "$1")
    echo "from $2: alsatool mixer $3 -> $got; amixer $4 -> $want"
    [ "$want" != " " ] || fail "amixer $4 (from $2) failed"
    [ "$got" = "$want" ] || fail "from raw $2, alsatool mixer $3 gives raw '$got', amixer $4 gives '$want'"
}

# ---------------------------------------------------------------- emulated cards (QEMU)
# play_on_real CARD WAVNAME: aplay, then alsatool play, 1 s of noise each on hw:CARD; the host checks
# that both reach QEMU's wav output (WAVNAME: hda, ac97, usb) bit-exact but for at most 0.1 s at the
# end, and that alsatool loses at most 20 ms more there than aplay. Both use periods of 0.1 s (4800
# frames) in a 0.4 s buffer: 48000 frames are 10 periods, so aplay pads nothing (with its default
# 4096-frame periods on AC97 it adds 0.2 s of silence, which would take QEMU's loss at the end).
play_on_real() {
    real_volumes_max $1 || fail "cannot set card $1's volumes to maximum"
    must aplay -q -D hw:$1 -F 100000 -B 400000 $DATA/real-aplay.wav
    t0=$(now)
    at play play -d hw:$1 --period-time 100000 --buffer-time 400000 $DATA/real-alsatool.wav
    t=$(elapsed "$t0")
    [ $rc = 0 ] || fail "alsatool play on hw:$1 exited $rc: $(head -n 1 play.err)"
    fge "$t" 0.9 || fail "1 s of audio played in $t s"
    host_check played "$2" real-aplay.wav 4800
    host_check played "$2" real-alsatool.wav 4800 real-aplay.wav 960
}

# record_on_real CARD: arecord and alsatool record 1 s from hw:CARD (a card on QEMU's `none` audiodev,
# which captures silence in real time): the same format, exactly 48000 frames, silence, in real time.
record_on_real() {
    run ref arecord -q -D hw:$1 -f S16_LE -c 2 -r 48000 -d 1 ref.wav
    [ $rc = 0 ] || fail "arecord on hw:$1 exited $rc (test premise)"
    [ "$(wav_field ref.wav file_frames)" = 48000 ] || fail "arecord -d 1 recorded $(wav_field ref.wav file_frames) frames (test premise)"
    t0=$(now)
    at rec record -d hw:$1 --duration 1 out.wav
    t=$(elapsed "$t0")
    [ $rc = 0 ] || fail "alsatool record on hw:$1 exited $rc: $(head -n 1 rec.err)"
    x benchtool wav-info out.wav || fail "out.wav is not a valid WAV"
    got="$(wav_field out.wav format) $(wav_field out.wav channels) $(wav_field out.wav rate)"
    [ "$got" = "S16_LE 2 48000" ] || fail "recorded $got, not S16_LE 2 48000 (arecord's)"
    [ "$(wav_field out.wav sizes_ok)" = 1 ] || fail "WAV header sizes do not match the file"
    frames=$(wav_field out.wav file_frames)
    [ "$frames" = 48000 ] || fail "--duration 1 recorded $frames frames, not 48000"
    fge "$t" 0.9 || fail "1 s recorded in $t s (not real time)"
    x benchtool wav-stats ref.wav
    x benchtool wav-stats out.wav
    [ "$(benchtool wav-stats out.wav | cut -d' ' -f2)" = "$(benchtool wav-stats ref.wav | cut -d' ' -f2)" ] ||
        fail "alsatool's recording is not silent like arecord's"
}

# ---------------------------------------------------------------- xruns
# stall PID: 1 s from now, stop the process (SIGSTOP) for 1 s, longer than the device buffer (the xrun
# tests ask for 0.2 s, so that about 0.8 s is lost), so that the device overruns or underruns for
# real; then let it go on (SIGCONT).
stall() {
    usleep 1000000
    x kill -STOP "$1"
    usleep 1000000
    x kill -CONT "$1"
}

# pitch WAV CHANNELS RATE: "HZ FRAMES": the frequency of the tone in channel 0 of a 16-bit WAV with
# a 44-byte header, from its zero crossings (half a period between successive crossings, counted
# with a hysteresis of 1000 so that a filter's ringing at the edges is no crossing, from the first
# crossing to the last), and how many frames lie between its first and last crossing. One pass:
# awk is slow under TCG.
pitch() {
    od -An -v -td2 -j 44 "$1" | awk -v ch="$2" -v rate="$3" '
        {
            for (i = 1; i <= NF; i++) {
                if (n % ch == 0) {
                    s = ($i > 1000) ? 1 : (($i < -1000) ? -1 : 0)
                    if (s != 0 && prev != 0 && s != prev) {
                        if (c == 0) first = n / ch
                        last = n / ch
                        c++
                    }
                    if (s != 0) prev = s
                }
                n++
            }
        }
        END { if (c > 1) printf "%.1f %d\n", (c - 1) / 2 / ((last - first) / rate), last - first; else print 0 0 }'
}

# check_overrun FILE ERRFILE: after `record --duration 4.5` with a 1 s stall: exit 0 ($rc), a valid
# WAV holding exactly the 4.5 s asked for (the take went on after the gap, as arecord's does:
# --duration counts audio, not wall time), and on stderr exactly one warning line,
# `alsatool: warning: overrun at M:SS: about X s of audio lost` with X in 0.5..1.6 (the stall and
# what was read before it: arecord calls the same stall on snd-hda-intel "at least 2042 ms long",
# from an xrun stamp that is the stream's start, on snd-aloop 830 ms).
check_overrun() {
    [ $rc = 0 ] || fail "record exited $rc after an overrun: $(head -n 1 "$2")"
    x benchtool wav-info "$1" || fail "$1 is not a valid WAV"
    [ "$(wav_field "$1" sizes_ok)" = 1 ] || fail "WAV header sizes do not match the file"
    re='^alsatool: warning: overrun at [0-9]+:[0-9]{2}: about [0-9.]+ s of audio lost'
    n=$(grep -c warning "$2")
    [ "$n" = 1 ] || fail "$n warning lines on stderr, expected exactly one (overrun at M:SS: about X s of audio lost)"
    grep -Eq "$re" "$2" || fail "the warning does not match '$re': $(grep warning "$2")"
    gap=$(grep -E "$re" "$2" | sed -n 's/.* about \([0-9.]*\) s of audio lost.*/\1/p')
    fge "$gap" 0.5 && fge 1.6 "$gap" || fail "the warning says $gap s were lost; the stall was 1 s"
    secs=$(awk -v f="$(wav_field "$1" file_frames)" -v r="$(wav_field "$1" rate)" 'BEGIN { printf "%.3f", f / r }')
    echo "file holds $secs s, the warning says $gap s lost"
    [ "$(wav_field "$1" file_frames)" = $(( $(wav_field "$1" rate) * 9 / 2 )) ] ||
        fail "the file holds $secs s: the recording did not go on to the 4.5 s asked for after the overrun"
}

# check_underrun ERRFILE: after playing with a 1 s stall and a 0.2 s buffer: exit 0 ($rc) and stderr
# (not a terminal) is exactly one line, `alsatool: warning: underrun at M:SS: about X s of silence`,
# with X in 0.5..1.1 (the stall less what was queued; snd-hda-intel's xrun stamp, the stream's start,
# would say 2.0 s).
check_underrun() {
    [ $rc = 0 ] || fail "play exited $rc after an underrun: $(head -n 1 "$1")"
    re='^alsatool: warning: underrun at [0-9]+:[0-9]{2}: about [0-9.]+ s of silence'
    n=$(wc -l <"$1")
    [ "$n" = 1 ] || fail "$n lines on stderr, expected exactly one (underrun at M:SS: about X s of silence)"
    grep -Eq "$re" "$1" || fail "stderr does not match '$re': $(head -n 1 "$1")"
    gap=$(sed -n 's/.* about \([0-9.]*\) s of silence.*/\1/p' "$1")
    fge "$gap" 0.5 && fge 1.1 "$gap" || fail "the warning says $gap s of silence; the stall was 1 s, the buffer 0.2 s"
}

# start_watch: `alsatool mixer -c 0 watch` in the background (output in watch.out/.err, pid in $bg),
# returning once it has card 0's control device open and a moment to read the initial state; fails
# (or skips, while watch is a stub) if it exits before.
start_watch() {
    at_bg watch mixer -c 0 watch
    _i=0
    while ! _holds_ctl0 "$bg" && [ $_i -lt 50 ]; do
        usleep 100000
        _i=$((_i + 1))
    done
    usleep 300000
    kill -0 "$bg" 2>/dev/null || { show watch; skip_unimplemented watch; fail "watch exited early: $(head -n 1 watch.err)"; }
}

# stop_watch PATTERN: waits up to 3 s for a line of watch.out to match PATTERN (grep -E), then ends
# watch with Ctrl-C (status in $rc) and shows what it printed.
stop_watch() {
    _i=0
    while ! grep -Eq -- "$1" watch.out && [ $_i -lt 30 ]; do
        usleep 100000
        _i=$((_i + 1))
    done
    kill -INT "$bg"
    wait_gone "$bg" 5
    show watch
}

_holds_ctl0() {
    for _fd in "/proc/$1/fd"/*; do
        [ "$(readlink "$_fd")" = /dev/snd/controlC0 ] && return 0
    done
    return 1
}
