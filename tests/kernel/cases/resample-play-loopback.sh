# The pitch survives resampling: arecord opens the capture side of the loopback at 48000 Hz first,
# which leaves the playback side only 48000 Hz (a 48 kHz-only device, like the ac97 model); alsatool
# plays the 1 s 440 Hz file at 44100 Hz into it, and the tone comes back at 440 Hz (played
# unresampled it would be 479 Hz), about 1 s long.
need_alsatool play
arecord -q -D hw:Loopback,1,3 -f S16_LE -c 2 -r 48000 -d 2 cap.wav &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub3 || fail "arecord did not start"
at play -v play -d hw:Loopback,0,3 $DATA/r44100.wav
[ $rc = 0 ] || fail "alsatool play exited $rc: $(head -n 1 play.err)"
grep -q 'resampling 44100 → 48000 Hz' play.err || fail "-v does not say it resamples: $(head -n 3 play.err)"
wait $rec || fail "arecord failed"
set -- $(pitch cap.wav 2 48000)
f=$1 n=$2
echo "440 Hz at 44100 Hz came back at $f Hz"
# Within 2%: the pitch is counted from the first to the last zero crossing, and a loaded TCG
# guest can leave a short gap between them; unresampled, the tone would be off by 9% (479 Hz).
awk -v f="$f" 'BEGIN { exit !(f > 431 && f < 449) }' || fail "the 440 Hz tone came back at $f Hz"
# The loopback loses up to 0.1 s at the end of a stream (README): at least 0.85 s of tone arrived.
echo "tone frames: $n"
[ "$n" -ge 40800 ] && [ "$n" -le 48300 ] || fail "the tone lasted $n frames at 48000 Hz, not about 48000"
