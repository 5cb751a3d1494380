# With --no-resample, a 44100 Hz file on the ac97 model (48000 Hz only) is not resampled: the error names the rate
# and suggests plughw (aplay only warns "rate is not accurate" and plays at the wrong speed).
need_alsatool play
at play play --no-resample -d hw:1,0 $DATA/r44100.wav
[ $rc != 0 ] || fail "alsatool play of a 44100 Hz file on a 48000 Hz-only hw device succeeded"
grep -q 44100 play.err || fail "the error does not mention 44100"
grep -q plughw play.err || fail "the error does not suggest plughw"
