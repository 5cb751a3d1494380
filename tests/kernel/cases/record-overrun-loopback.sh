# An overrun on the loopback's capture side while aplay plays 7 s of noise into it: as on hw:Dummy
# (exit 0, the recording goes on to the end, one warning line), and what is recorded after the gap is
# again exactly what aplay played (a slice found in the file by its bytes), as is what came before it.
need_alsatool record
ref=$DATA/noise7.wav
aplay -q -D hw:Loopback,0,3 "$ref" &
wait_pcm_running /proc/asound/card3/pcm0p/sub3 || fail "aplay did not start"
at_bg rec record -d hw:Loopback,1,3 --buffer-time 200000 --duration 4.5 out.wav
wait_pcm_running /proc/asound/card3/pcm1c/sub3 || { show rec; fail "the capture did not start"; }
stall $bg
wait_gone $bg 10
show rec
check_overrun out.wav rec.err
# before the gap (0.1-0.6 s into the file) and after it (2-3 s into the file, about 1 s after it)
x benchtool wav-find "$ref" out.wav 4800 24000 || fail "the recording before the overrun is not what aplay played"
x benchtool wav-find "$ref" out.wav 96000 48000 || fail "the recording after the overrun (2-3 s into the file) is not what aplay played"
