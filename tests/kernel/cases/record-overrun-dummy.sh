# An overrun on hw:Dummy (snd-dummy): alsatool record --duration 4.5 is stopped (SIGSTOP) for 1 s,
# longer than its buffer (--buffer-time 200000: 0.2 s). It recovers and goes on to the end, exits 0,
# and says once on stderr (no terminal) `alsatool: warning: overrun at M:SS: about X s of audio lost`.
need_alsatool record
at_bg rec record -d hw:0,0 --buffer-time 200000 --duration 4.5 out.wav
wait_pcm_running /proc/asound/card0/pcm0c/sub0 || { show rec; fail "the capture did not start"; }
stall $bg
wait_gone $bg 10
show rec
check_overrun out.wav rec.err
