# Ctrl-C (SIGINT) ends a recording promptly with exit status 0 (README: "the exit code is 0, the
# recording is what was asked for") and a valid WAV whose header matches its data, and the data is
# exactly what was played.
need_alsatool record
ref=$DATA/noise3.wav
aplay -q -D hw:Loopback,0,1 "$ref" &
wait_pcm_running /proc/asound/card3/pcm0p/sub1 || fail "aplay did not start"
at_bg rec record -d hw:Loopback,1,1 int.wav
usleep 1200000
kill -INT $bg
wait_gone $bg 5
show rec
echo "exit status after SIGINT: $rc"
skip_unimplemented rec
[ $rc = 0 ] || fail "exit status $rc after SIGINT (README: 0): $(head -n 1 rec.err)"
x benchtool wav-info int.wav || fail "int.wav is not a valid WAV"
[ "$(wav_field int.wav sizes_ok)" = 1 ] || fail "WAV header sizes do not match the data after SIGINT"
frames=$(wav_field int.wav file_frames)
[ "$frames" -ge 24000 ] || fail "only $frames frames recorded in 1.2 s"
# the whole recording, from its first frame, is a slice of what aplay played (aplay is still playing)
x benchtool wav-find "$ref" int.wav || fail "recording differs from what aplay played"
benchtool wav-find "$ref" int.wav | grep -q ' ref_start=0 ' || fail "the recording starts with silence"
