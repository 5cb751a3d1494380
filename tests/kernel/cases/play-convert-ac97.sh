# A mono 24-bit file on the ac97 model (S16_LE, stereo, 48000 only): aplay refuses, alsatool converts.
need_alsatool play
run ref timeout 5 aplay -q -D hw:1,0 $DATA/mono24.wav
grep -q 'non available' ref.err || fail "aplay did not refuse the file (test premise)"
t0=$(now)
at play play -d hw:1,0 $DATA/mono24.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play on hw:1,0 exited $rc: $(head -n 1 play.err)"
fge "$t" 0.9 || fail "1 s file played in $t s"
