# A 16-bit stereo file on the rme9652 model (S32_LE, 26 channels only): aplay refuses, alsatool converts.
# What reaches the device (through ALSA's file plugin, `tee:'hw:2,0',dev.wav,wav`) must be exactly the
# file's samples in the top 16 bits of channels 0 and 1, the other 24 channels silent, every frame.
need_alsatool play
run ref timeout 5 aplay -q -D hw:2,0 $DATA/s16-stereo.wav
grep -q 'Sample format non available' ref.err || fail "aplay did not refuse the format (test premise)"
t0=$(now)
at play play -d "tee:'hw:2,0',dev.wav,wav" $DATA/s16-stereo.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play on hw:2,0 exited $rc: $(head -n 1 play.err)"
fge "$t" 0.9 || fail "1 s file played in $t s"
x benchtool wav-info dev.wav || fail "the file plugin wrote no WAV"
[ "$(wav_field dev.wav format) $(wav_field dev.wav channels)" = "S32_LE 26" ] ||
    fail "hw:2,0 got $(wav_field dev.wav format) $(wav_field dev.wav channels) ch, not S32_LE 26 ch"
x benchtool wav-convert $DATA/s16-stereo.wav dev.wav ||
    fail "what reached hw:2,0 is not the exact conversion: $(benchtool wav-convert $DATA/s16-stereo.wav dev.wav)"
