# alsatool mixer on a real HDA codec (snd-hda-intel, QEMU's hda-duplex with the generic codec driver),
# against amixer: Master (0..74, -74..0 dB: the perceptual curve of amixer -M) and Capture percents,
# dB, `get --json` percents, Master's playback switch and Capture's capture switch.
need_alsatool mixer
MIXER_CARD=$HDA
for p in 50% 20% 90%; do
    same_as_amixer Master 74 "set Master $p" "-M sset Master $p"
done
same_as_amixer Master 74 "set Master -20dB" "sset Master -- -20dB"
same_as_amixer Capture 0 "set Capture 50%" "-M sset Capture 50%"
amixer -q -c $HDA sset Master 40
at get mixer -c $HDA get Master --json
[ $rc = 0 ] || fail "get Master --json exited $rc: $(head -n 1 get.err)"
benchtool json-flat get.out >flat || fail "invalid JSON from get Master --json"
mpct=$(amixer -M -c $HDA sget Master | grep -m1 '^ *Front Left:' | sed -n 's/[^[]*\[\([0-9]*\)%\].*/\1/p')
got=$(sed -n 's/^\.playback\.channels\[0\]\.percent=//p' flat)
[ "$got" = "$mpct" ] || fail "Master raw 40: get --json percent is '$got', amixer -M says $mpct%"
at mute mixer -c $HDA set Master mute
[ $rc = 0 ] || fail "set Master mute exited $rc: $(head -n 1 mute.err)"
mixer_line $HDA Master 'Front Left' | grep -q '\[off\]' || fail "after mute: $(mixer_line $HDA Master 'Front Left')"
at unmute mixer -c $HDA set Master unmute
mixer_line $HDA Master 'Front Left' | grep -q '\[on\]' || fail "after unmute: $(mixer_line $HDA Master 'Front Left')"
amixer -q -c $HDA sset Capture nocap
at cap mixer -c $HDA set Capture cap
[ $rc = 0 ] || fail "set Capture cap exited $rc: $(head -n 1 cap.err)"
mixer_line $HDA Capture 'Front Right' | grep -q '\[on\]' || fail "after cap: $(mixer_line $HDA Capture 'Front Right')"
at nocap mixer -c $HDA set Capture nocap
mixer_line $HDA Capture 'Front Left' | grep -q '\[off\]' || fail "after nocap: $(mixer_line $HDA Capture 'Front Left')"
real_volumes_max $HDA
