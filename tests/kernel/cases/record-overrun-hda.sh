# An overrun on a real driver, snd-hda-intel (the intel-hda on QEMU's `none` audiodev): as on hw:Dummy,
# exit 0, the recording goes on to the end, one warning line.
need_alsatool record
at_bg rec record -d hw:$HDAC --buffer-time 200000 --duration 4.5 out.wav
wait_pcm_running /proc/asound/card$HDAC/pcm0c/sub0 || { show rec; fail "the capture did not start"; }
stall $bg
wait_gone $bg 10
show rec
check_overrun out.wav rec.err
