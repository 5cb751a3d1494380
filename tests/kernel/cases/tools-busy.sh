# A second open of hw:0,0 (one substream) fails with "busy" while aplay holds it.
aplay -q -D hw:0,0 $DATA/sine2.wav &
wait_pcm_running /proc/asound/card0/pcm0p/sub0 || fail "first aplay did not start"
run second timeout 5 aplay -q -D hw:0,0 $DATA/sine2.wav
[ $rc != 0 ] || fail "second aplay succeeded"
grep -qi busy second.err || fail "second aplay error does not say busy"
