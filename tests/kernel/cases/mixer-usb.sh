# alsatool mixer on a USB audio device (snd-usb-audio, QEMU's usb-audio): its one control, 'Audio
# Output Volume Control' (raw 0..256), set by percent and dB as amixer -M and amixer set it, and muted.
need_alsatool mixer
ctl='Audio Output Volume Control'
for v in 50% 20% -6dB; do
    am="-M sset '$ctl' $v"
    case $v in *dB) am="sset '$ctl' $v" ;; esac
    flags=
    case $am in -M\ *) flags=-M am=${am#-M } ;; esac
    # shellcheck disable=SC2086
    want=$(printf "sset '%s' 256\n%s\nsset '%s' 256\n" "$ctl" "$am" "$ctl" |
        amixer -c $USB $flags -s | awk '/^Simple mixer control/ { n++ } n == 2' | raw_of)
    at set mixer -c $USB set "$ctl" $v
    [ $rc = 0 ] || fail "set '$ctl' $v exited $rc: $(head -n 1 set.err)"
    got=$(raw_lr $USB "$ctl")
    echo "from 256: alsatool set $v -> $got; amixer $flags $am -> $want"
    [ "$want" != " " ] || fail "amixer $flags $am failed"
    [ "$got" = "$want" ] || fail "from raw 256, alsatool set $v gives raw '$got', amixer $flags $am gives '$want'"
done
at mute mixer -c $USB set "$ctl" mute
[ $rc = 0 ] || fail "set mute exited $rc: $(head -n 1 mute.err)"
mixer_line $USB "$ctl" 'Front Left' | grep -q '\[off\]' || fail "after mute: $(mixer_line $USB "$ctl" 'Front Left')"
real_volumes_max $USB
mixer_line $USB "$ctl" 'Front Left' | grep -q '\[on\]' || fail "amixer did not unmute it again"
