# A second open of hw:0,0 (one substream) fails with "busy" while aplay holds it.
aplay -q -D hw:0,0 $DATA/sine2.wav &
holder=$!
wait_pcm_running /proc/asound/card0/pcm0p/sub0 || fail "first aplay did not start"
run second timeout 5 aplay -q -D hw:0,0 $DATA/sine2.wav
[ $rc != 0 ] || fail "second aplay succeeded"
grep -qi busy second.err || fail "second aplay error does not say busy"
# What alsatool names the holder by: the substream's owner_pid, the holder's open file on the PCM
# node and its name.
grep -Eq "^owner_pid[[:space:]]*: $holder\$" /proc/asound/card0/pcm0p/sub0/status ||
    fail "sub0/status does not show owner_pid $holder: $(cat /proc/asound/card0/pcm0p/sub0/status)"
ls -l /proc/$holder/fd | grep -q '/dev/snd/pcmC0D0p' || fail "/proc/$holder/fd has no link to /dev/snd/pcmC0D0p"
[ "$(cat /proc/$holder/comm)" = aplay ] || fail "/proc/$holder/comm is '$(cat /proc/$holder/comm)', not aplay"
