# aplay into hw:Loopback,0,0 while arecord captures hw:Loopback,1,0: the samples come back unchanged.
ref=$DATA/noise1.wav   # 1 s noise + 0.5 s silence, S16_LE 2 ch 48000
arecord -q -D hw:Loopback,1,0 -f S16_LE -c 2 -r 48000 -d 2 cap.wav &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub0 || fail "arecord did not start"
must aplay -q -D hw:Loopback,0,0 "$ref"
wait $rec || fail "arecord failed"
x benchtool wav-match "$ref" cap.wav 48000 || fail "captured audio differs from what aplay played"
