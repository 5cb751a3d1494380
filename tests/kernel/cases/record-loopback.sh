# alsatool record --duration 1 from hw:Loopback,1,0 while aplay plays noise into hw:Loopback,0,0: the
# file has exactly 48000 frames (1 s) at the stream's format, and every one of them, from the first, is
# a contiguous slice of what aplay played. (aplay plays 3 s, so the recording ends mid-stream: the
# loss at the end of a loopback stream does not apply, no tail is exempt.)
need_alsatool record
ref=$DATA/noise3.wav
aplay -q -D hw:Loopback,0,0 "$ref" &
wait_pcm_running /proc/asound/card3/pcm0p/sub0 || fail "aplay did not start"
at rec record -d hw:Loopback,1,0 out.wav --duration 1
[ $rc = 0 ] || fail "alsatool record exited $rc: $(head -n 1 rec.err)"
x benchtool wav-info out.wav || fail "out.wav is not a valid WAV"
[ "$(wav_field out.wav format) $(wav_field out.wav channels) $(wav_field out.wav rate)" = "S16_LE 2 48000" ] ||
    fail "recorded $(wav_field out.wav format) $(wav_field out.wav channels) ch $(wav_field out.wav rate) Hz, not the stream's S16_LE 2 ch 48000 Hz"
[ "$(wav_field out.wav sizes_ok)" = 1 ] || fail "WAV header sizes do not match the file"
frames=$(wav_field out.wav file_frames)
[ "$frames" = 48000 ] || fail "--duration 1 recorded $frames frames, not 48000"
x benchtool wav-find "$ref" out.wav || fail "recording differs from what aplay played ($(benchtool wav-find "$ref" out.wav))"
benchtool wav-find "$ref" out.wav | grep -q ' ref_start=0 ' || fail "the recording starts with silence"
