# A mono 24-bit file on the ac97 model (S16_LE, stereo, 48000 only): aplay refuses, alsatool converts.
# What reaches the device is checked sample for sample: alsatool plays through ALSA's file plugin
# (`tee:'hw:1,0',dev.wav,wav`, which passes the device's constraints through and writes what it is
# given), and that must be the file converted as README says: the 24-bit samples truncated to 16 bits
# (their top bits), the mono channel on both channels, every frame and nothing after.
need_alsatool play
run ref timeout 5 aplay -q -D hw:1,0 $DATA/mono24.wav
grep -q 'non available' ref.err || fail "aplay did not refuse the file (test premise)"
t0=$(now)
at play play -d "tee:'hw:1,0',dev.wav,wav" $DATA/mono24.wav
t=$(elapsed "$t0")
[ $rc = 0 ] || fail "alsatool play on hw:1,0 exited $rc: $(head -n 1 play.err)"
fge "$t" 0.9 || fail "1 s file played in $t s"
x benchtool wav-info dev.wav || fail "the file plugin wrote no WAV"
[ "$(wav_field dev.wav format) $(wav_field dev.wav channels)" = "S16_LE 2" ] ||
    fail "hw:1,0 got $(wav_field dev.wav format) $(wav_field dev.wav channels) ch, not S16_LE 2 ch"
x benchtool wav-convert $DATA/mono24.wav dev.wav ||
    fail "what reached hw:1,0 is not the exact conversion: $(benchtool wav-convert $DATA/mono24.wav dev.wav)"
