# hw:Dummy paces playback in real time: 2 s of audio takes about 2 s.
t0=$(now)
must aplay -q -D hw:0,0 $DATA/sine2.wav
t=$(elapsed "$t0")
echo "aplay of 2 s took $t s"
fge "$t" 1.8 || fail "2 s of audio played in $t s"
fge 4 "$t" || fail "2 s of audio took $t s"
