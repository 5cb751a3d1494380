# While aplay holds hw:0,0 (one substream), alsatool play on it fails at once, saying the device is
# in use or busy, and naming aplay and its pid.
need_alsatool play
aplay -q -D hw:0,0 $DATA/sine2.wav &
holder=$!
wait_pcm_running /proc/asound/card0/pcm0p/sub0 || fail "aplay did not start"
t0=$(now)
run play timeout 10 alsatool play -d hw:0,0 $DATA/s16-stereo.wav
skip_unimplemented play
t=$(elapsed "$t0")
[ $rc != 0 ] || fail "alsatool play on a busy device succeeded"
[ $rc != 137 ] && [ $rc != 143 ] || fail "alsatool play waited for the busy device instead of failing"
grep -Eqi 'in use|busy' play.err || fail "the error does not say 'in use' or 'busy': $(head -n 1 play.err)"
fge 3 "$t" || fail "failing took $t s"
grep -q "in use by aplay (pid $holder)" play.err || fail "the error does not name the holder, aplay (pid $holder): $(head -n 1 play.err)"
# The same through the card's id: plughw:CARD=Dummy,DEV=0 is card 0 (by /proc/asound/cards),
# device 0. (sine2.wav lasts 2 s; check that aplay still holds the device.)
kill -0 $holder 2>/dev/null || fail "aplay ended before the card-id check; the test needs a longer file"
run plug timeout 10 alsatool play -d plughw:CARD=Dummy,DEV=0 $DATA/s16-stereo.wav
[ $rc != 0 ] || fail "alsatool play on busy plughw:CARD=Dummy,DEV=0 succeeded"
grep -q "in use by aplay (pid $holder)" plug.err || fail "plughw:CARD=Dummy: the error does not name aplay (pid $holder): $(head -n 1 plug.err)"
