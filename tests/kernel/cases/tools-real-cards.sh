# The emulated cards are there, with their real drivers (QEMU intel-hda x2, AC97 x2, usb-audio), and
# the codecs' mixers the mixer-* tests rely on.
run list aplay -l
for c in "4: HDA \[HDA Intel\]" "5: HDAC \[HDA Intel\]" "6: AC97 \[Intel 82801AA-ICH\]" "7: AC97_1 " "8: USB \[QEMU USB Audio\]"; do
    grep -q "^card $c" list.out || fail "aplay -l has no 'card $c'"
done
run rec arecord -l
for c in 4 5 6 7; do grep -q "^card $c:" rec.out || fail "arecord -l has no card $c"; done
[ "$(mixer_limits $HDA Master)" = "0 74" ] || fail "HDA Master limits $(mixer_limits $HDA Master)"
amixer -c $ICH sget Capture | grep -q 'Limits: Capture 0 - 15' || fail "AC97 Capture is not 0 - 15"
amixer -c $ICH sget Mic | grep -q 'cswitch-exclusive' || fail "AC97 Mic is not in an exclusive capture group"
amixer -c $ICH cget iface=MIXER,name='Capture Source' | grep -q "items=8" || fail "AC97 has no 8-item Capture Source"
