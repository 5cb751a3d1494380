# amixer sset/sget on the dummy Master: raw, percent and dB settings read back.
x amixer -c 0 sget Master
set -- $(mixer_limits 0 Master)
[ "$1 $2" = "-50 100" ] || fail "Master limits are '$1 $2', expected '-50 100'"
must amixer -q -c 0 sset Master 25
[ "$(mixer_raw 0 Master 'Front Left')" = 25 ] || fail "raw 25 not read back: $(mixer_line 0 Master 'Front Left')"
must amixer -q -c 0 sset Master 50%
# linear: rint(50 * 150 / 100) + -50 = 25
[ "$(mixer_raw 0 Master 'Front Right')" = 25 ] || fail "50% is not raw 25: $(mixer_line 0 Master 'Front Right')"
amixer -c 0 sget Master
must amixer -q -c 0 sset Master -- -10dB
mixer_line 0 Master 'Front Left' | grep -q '\[-10.00dB\]' || fail "-10dB not read back: $(mixer_line 0 Master 'Front Left')"
amixer -c 0 sget Mic
