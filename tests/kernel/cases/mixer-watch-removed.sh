# alsatool mixer -c 0 watch prints a control that goes away while it watches: a user control made
# by alsa-lib's softvol plugin ("Watch Gone") is removed with the kernel's ELEM_REMOVE ioctl.
need_alsatool mixer
cat >/etc/asound.conf <<'END'
pcm.watch_gone {
    type softvol
    slave.pcm "hw:Dummy"
    control { name "Watch Gone Playback Volume" card Dummy }
    resolution 11
}
END
x aplay -q -D watch_gone -f S16_LE -c 2 -r 48000 -s 1 /dev/zero
rm -f /etc/asound.conf
amixer -c 0 controls | grep -q "Watch Gone Playback Volume" || fail "softvol made no 'Watch Gone' control"
start_watch
x benchtool ctl-remove 0 "Watch Gone Playback Volume"
amixer -c 0 controls | grep -q "Watch Gone" && fail "the control is still there after ELEM_REMOVE"
stop_watch "Watch Gone.*removed"
[ $rc = 0 ] || fail "watch exited $rc after Ctrl-C: $(head -n 1 watch.err)"
grep -q "Watch Gone.*removed" watch.out || fail "watch did not print 'Watch Gone' as removed within 3 s"
