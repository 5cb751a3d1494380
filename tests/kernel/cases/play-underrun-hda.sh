# An underrun on a real driver, snd-hda-intel (the intel-hda on QEMU's `none` audiodev): as on
# hw:Dummy, exit 0 and one line on stderr.
need_alsatool play
at_bg play play -d hw:$HDAC --buffer-time 200000 $DATA/sine4.wav
wait_pcm_running /proc/asound/card$HDAC/pcm0p/sub0 || { show play; fail "the playback did not start"; }
stall $bg
wait_gone $bg 10
show play
check_underrun play.err
