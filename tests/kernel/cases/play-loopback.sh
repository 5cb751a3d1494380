# alsatool play into hw:Loopback,0,0 while arecord captures hw:Loopback,1,0: every sample comes back
# (the file is 1 s of noise + 0.5 s of silence, so the drain at the end is covered too).
need_alsatool play
ref=$DATA/noise1.wav
arecord -q -D hw:Loopback,1,0 -f S16_LE -c 2 -r 48000 -d 2 cap.wav &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub0 || fail "arecord did not start"
at play play -d hw:Loopback,0,0 "$ref"
[ $rc = 0 ] || fail "alsatool play exited $rc: $(head -n 1 play.err)"
wait $rec || fail "arecord failed"
x benchtool wav-match "$ref" cap.wav 48000 || fail "captured audio differs from the file ($(benchtool wav-match "$ref" cap.wav 0))"
