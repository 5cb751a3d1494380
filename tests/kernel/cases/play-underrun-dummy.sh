# An underrun on hw:Dummy: alsatool play of a 4 s file is stopped (SIGSTOP) for 1 s, longer than its
# buffer (--buffer-time 200000: 0.2 s). It recovers, plays on, exits 0, and stderr (no terminal) is
# one line:
# `alsatool: warning: underrun at M:SS: about X s of silence`.
need_alsatool play
at_bg play play -d hw:0,0 --buffer-time 200000 $DATA/sine4.wav
wait_pcm_running /proc/asound/card0/pcm0p/sub0 || { show play; fail "the playback did not start"; }
stall $bg
wait_gone $bg 10
show play
check_underrun play.err
