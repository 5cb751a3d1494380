# SIGKILL during a recording (no chance to clean up) still leaves a parseable WAV: the header is kept
# up to date while recording, so after 2.5 s it covers at least a second of audio.
need_alsatool record
aplay -q -D hw:Loopback,0,2 $DATA/noise3.wav &
wait_pcm_running /proc/asound/card3/pcm0p/sub2 || fail "aplay did not start"
at_bg rec record -d hw:Loopback,1,2 killed.wav
usleep 2500000
kill -9 $bg
wait_gone $bg 5
show rec
skip_unimplemented rec
x benchtool wav-info killed.wav || fail "killed.wav is not a parseable WAV"
hf=$(wav_field killed.wav header_frames)
ff=$(wav_field killed.wav file_frames)
[ "$ff" -gt 0 ] || fail "no audio data in the file"
[ "$hf" -ge 48000 ] || fail "the header covers $hf frames after 2.5 s ($ff in the file)"
