# The ac97 and rme9652 models refuse what they do not support (so alsatool has to convert).
run mono timeout 5 aplay -q -D hw:1,0 $DATA/mono24.wav
[ $rc != 0 ] || fail "aplay of a mono 24-bit file on hw:1,0 succeeded"
grep -q 'non available' mono.err || fail "unexpected aplay error"
run s16 timeout 5 aplay -q -D hw:2,0 $DATA/s16-stereo.wav
[ $rc != 0 ] || fail "aplay of S16 stereo on rme9652 succeeded"
grep -q 'Sample format non available' s16.err || fail "unexpected aplay error"
