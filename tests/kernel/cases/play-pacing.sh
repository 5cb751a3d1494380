# Playback on hw:Dummy runs in real time: a 2 s file takes about 2 s, and the whole file is played
# (drained) before alsatool exits.
need_alsatool play
t0=$(now)
at play play -d hw:0,0 $DATA/sine2.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play exited $rc: $(head -n 1 play.err)"
echo "2 s of audio took $t s"
fge "$t" 1.8 || fail "2 s of audio played in $t s (not paced or not drained)"
fge 5 "$t" || fail "2 s of audio took $t s"
