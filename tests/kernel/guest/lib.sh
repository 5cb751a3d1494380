# Helpers sourced by every test in /bench/cases/ (busybox sh). A test passes when it returns normally;
# it calls `fail "reason"` or `skip "reason"` otherwise. It runs in its own empty directory (TEST_DIR)
# with stdout/stderr going to the console log; background processes it leaves are killed afterwards.

DATA=/data
# Card indexes and ids, fixed by /init.
DUMMY=0 AC97=1 RME=2 LOOP=3

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

# need_alsatool [SUBCOMMAND]: skip the test when the binary or the subcommand does not exist yet.
need_alsatool() {
    command -v alsatool >/dev/null 2>&1 || skip "alsatool binary not in the image (not built)"
    if [ -n "$1" ]; then
        alsatool "$1" --help >/dev/null 2>&1 || skip "not implemented (alsatool $1 --help fails)"
    fi
}

# skip_unimplemented NAME: skip when alsatool said the subcommand does not exist yet (NAME.err).
skip_unimplemented() {
    grep -q 'not implemented' "$1.err" 2>/dev/null && skip "not implemented ($(head -n 1 "$1.err"))"
    return 0
}

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

# same_as_amixer CONTROL START 'ALSATOOL MIXER ARGS' 'AMIXER ARGS': from raw START on card 0, apply
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
    want=$(printf 'sset %s %s\n%s\nsset %s %s\n' "$1" "$2" "$_am" "$1" "$2" |
        amixer -c 0 $_flags -s | awk '/^Simple mixer control/ { n++ } n == 2' | raw_of)
    # shellcheck disable=SC2086
    at set mixer -c 0 $3
    [ $rc = 0 ] || fail "alsatool mixer -c 0 $3 exited $rc: $(head -n 1 set.err)"
    got=$(raw_lr 0 "$1")
    echo "from $2: alsatool mixer $3 -> $got; amixer $4 -> $want"
    [ "$want" != " " ] || fail "amixer $4 (from $2) failed"
    [ "$got" = "$want" ] || fail "from raw $2, alsatool mixer $3 gives raw '$got', amixer $4 gives '$want'"
}
