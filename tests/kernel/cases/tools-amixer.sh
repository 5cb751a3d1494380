# amixer sset/sget on card 0: raw, percent and dB on the dummy Master, capture switch on Mic, and the
# Headphone playback switch that /init creates (the reference behaviour the mixer-* tests compare with).
x amixer -c 0 sget Master
set -- $(mixer_limits 0 Master)
[ "$1 $2" = "-50 100" ] || fail "Master limits are '$1 $2', expected '-50 100'"
must amixer -q -c 0 sset Master 25
[ "$(mixer_raw 0 Master 'Front Left')" = 25 ] || fail "raw 25 not read back: $(mixer_line 0 Master 'Front Left')"
must amixer -q -c 0 sset Master 50%
# linear: rint(50 * 150 / 100) + -50 = 25
[ "$(mixer_raw 0 Master 'Front Right')" = 25 ] || fail "50% is not raw 25: $(mixer_line 0 Master 'Front Right')"
must amixer -q -c 0 sset Master -- -10dB
mixer_line 0 Master 'Front Left' | grep -q '\[-9.90dB\]' || fail "-10dB not read back: $(mixer_line 0 Master 'Front Left')"
must amixer -q -c 0 sset Mic cap
mixer_line 0 Mic 'Front Left' | grep -q 'Capture \[on\]' || fail "Mic cap: $(mixer_line 0 Mic 'Front Left')"
must amixer -q -c 0 sset Mic nocap
mixer_line 0 Mic 'Front Left' | grep -q 'Capture \[off\]' || fail "Mic nocap: $(mixer_line 0 Mic 'Front Left')"
x amixer -c 0 sget Headphone
must amixer -q -c 0 sset Headphone mute
mixer_line 0 Headphone 'Front Left' | grep -q '\[off\]' || fail "Headphone mute: $(mixer_line 0 Headphone 'Front Left')"
must amixer -q -c 0 sset Headphone unmute
mixer_line 0 Headphone 'Front Left' | grep -q '\[on\]' || fail "Headphone unmute: $(mixer_line 0 Headphone 'Front Left')"
