# A 24-bit FLAC reaches a device that takes only S32_LE without loss: arecord opens the loopback's
# capture side first as S32_LE stereo, which forces the playback side to S32_LE; the captured samples
# must equal the 24-bit reference WAV exactly (tolerance 0 steps of 24 bit).
need_alsatool play
arecord -q -D hw:Loopback,1,3 -f S32_LE -c 2 -r 48000 -d 2 cap.wav &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub3 || fail "arecord did not start"
at play play -d hw:Loopback,0,3 $DATA/s24-stereo-pad.flac
[ $rc = 0 ] || fail "alsatool play s24-stereo-pad.flac exited $rc: $(head -n 1 play.err)"
wait $rec || fail "arecord failed"
x benchtool wav-compare $DATA/s24-stereo-pad.wav cap.wav 47999 0 ||
    fail "24-bit FLAC -> S32_LE: $(benchtool wav-compare $DATA/s24-stereo-pad.wav cap.wav 0 0 | sed 's/.*stopped_at=//')"
