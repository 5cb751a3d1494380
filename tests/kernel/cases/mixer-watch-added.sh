# alsatool mixer -c 0 watch prints a control that appears while it watches: alsa-lib's softvol
# plugin creates a user control on card 0 the first time its PCM opens ("Watch Test").
need_alsatool mixer
start_watch
cat >/etc/asound.conf <<'END'
pcm.watch_test {
    type softvol
    slave.pcm "hw:Dummy"
    control { name "Watch Test Playback Volume" card Dummy }
    resolution 11
}
END
x aplay -q -D watch_test -f S16_LE -c 2 -r 48000 -s 1 /dev/zero
rm -f /etc/asound.conf
stop_watch "Watch Test.*added"
grep -q "Watch Test.*added" watch.out || fail "watch did not print the new control 'Watch Test' as added within 3 s"
