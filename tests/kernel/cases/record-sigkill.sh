# SIGKILL during a recording (no chance to clean up) still leaves a parseable WAV whose header is at
# most a tenth of a second behind the data (README: the sizes are rewritten every 0.1 s): killed
# 1.5 s in, the header's data size is at most the data in the file and at least that minus 0.2 s of
# audio (the 0.1 s between rewrites and one chunk of about 0.1 s in flight).
need_alsatool record
aplay -q -D hw:Loopback,0,2 $DATA/noise3.wav &
wait_pcm_running /proc/asound/card3/pcm0p/sub2 || fail "aplay did not start"
at_bg rec record -d hw:Loopback,1,2 killed.wav
wait_pcm_running /proc/asound/card3/pcm1c/sub2 || { show rec; fail "the capture did not start"; }
usleep 1500000
kill -9 $bg
wait_gone $bg 5
show rec
skip_unimplemented rec
x benchtool wav-info killed.wav || fail "killed.wav is not a parseable WAV"
hb=$(wav_field killed.wav header_bytes)
fb=$(wav_field killed.wav file_bytes)
slack=$((2 * 4800 * 4)) # 0.2 s of S16_LE stereo at 48000 Hz
echo "header says $hb bytes of data, the file has $fb (allowed lag $slack)"
[ "$fb" -ge 192000 ] || fail "only $fb bytes of audio in the file after 1.5 s"
[ "$hb" -le "$fb" ] || fail "the header claims $hb bytes of data, the file holds $fb"
[ "$hb" -ge $((fb - slack)) ] || fail "the header covers $hb bytes of the $fb in the file: more than 0.1 s (+ one chunk) behind"
