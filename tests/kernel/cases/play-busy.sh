# While aplay holds hw:0,0 (one substream), alsatool play on it fails at once, saying the device is
# in use or busy.
need_alsatool play
aplay -q -D hw:0,0 $DATA/sine2.wav &
wait_pcm_running /proc/asound/card0/pcm0p/sub0 || fail "aplay did not start"
t0=$(now)
run play timeout 10 alsatool play -d hw:0,0 $DATA/s16-stereo.wav
skip_unimplemented play
t=$(elapsed "$t0")
[ $rc != 0 ] || fail "alsatool play on a busy device succeeded"
[ $rc != 137 ] && [ $rc != 143 ] || fail "alsatool play waited for the busy device instead of failing"
grep -Eqi 'in use|busy' play.err || fail "the error does not say 'in use' or 'busy': $(head -n 1 play.err)"
fge 3 "$t" || fail "failing took $t s"
