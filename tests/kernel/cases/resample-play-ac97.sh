# A 44100 Hz file on the ac97 model (S16_LE, stereo, 48000 Hz only) is resampled to 48000 Hz: -v says
# so, and the 1 s file takes about 1 s (neither cut short nor stretched). --no-resample gives the
# error that names the rate and suggests plughw, as before resampling existed.
need_alsatool play
t0=$(now)
at play -v play -d hw:1,0 $DATA/r44100.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play of a 44100 Hz file on hw:1,0 exited $rc: $(head -n 1 play.err)"
grep -q 'resampling 44100 → 48000 Hz' play.err || fail "-v does not say it resamples: $(head -n 3 play.err)"
echo "1 s of 44100 Hz audio took $t s on the 48000 Hz device"
fge "$t" 0.9 || fail "1 s file played in $t s"
fge 3 "$t" || fail "1 s file took $t s"
at refuse play --no-resample -d hw:1,0 $DATA/r44100.wav
[ $rc != 0 ] || fail "--no-resample played a 44100 Hz file on a 48000 Hz-only device"
grep -q 44100 refuse.err || fail "the error does not mention 44100"
grep -q plughw refuse.err || fail "the error does not suggest plughw"
