# A 16-bit stereo file on the rme9652 model (S32_LE, 26 channels only): aplay refuses, alsatool converts.
need_alsatool play
run ref timeout 5 aplay -q -D hw:2,0 $DATA/s16-stereo.wav
grep -q 'Sample format non available' ref.err || fail "aplay did not refuse the format (test premise)"
t0=$(now)
at play play -d hw:2,0 $DATA/s16-stereo.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play on hw:2,0 exited $rc: $(head -n 1 play.err)"
fge "$t" 0.9 || fail "1 s file played in $t s"
