# `alsatool devices` lists every card, PCM device (both directions) with its subdevice count, and the
# simple mixer controls, as aplay -l, arecord -l and amixer scontrols show them.
need_alsatool devices
at list devices
[ $rc = 0 ] || fail "alsatool devices exited $rc: $(head -n 1 list.err)"
for dir in playback capture; do
    tool=aplay
    [ $dir = capture ] && tool=arecord
    # "card 3: Loopback [Loopback], device 1: Loopback PCM [Loopback PCM]" + "  Subdevices: 4/4"
    $tool -l | awk '/^card / { split($0, a, /[:,]/); card = substr(a[1], 6); id = $3; dev = $0;
                       sub(/.*, device /, "", dev); split(dev, d, ":"); devno = d[1] }
                    /Subdevices:/ { print card, id, devno, $2 }' >$dir.ref
    [ -s $dir.ref ] || fail "$tool -l listed nothing"
    while read -r card id dev subs; do
        grep -q "^card $card: $id " list.out || fail "no line 'card $card: $id ...'"
        # "  capture device 1: Loopback PCM [Loopback PCM], subdevices 4/4  (hw:3,1)"
        grep "$dir device $dev:" list.out | grep -F "(hw:$card,$dev)" | grep -qF "subdevices $subs" ||
            fail "no '$dir device $dev ... subdevices $subs (hw:$card,$dev)' line"
    done <$dir.ref
done
# Subdevice lines: alsatool names them when a device has more than one (the loopback's 4 x 2 x 2).
want=$( (aplay -l; arecord -l) | awk '/Subdevices:/ { split($2, s, "/"); many = s[2] > 1 }
                                      /Subdevice #/ && many { n++ } END { print n + 0 }')
got=$(grep -c '^ *subdevice #[0-9]*:' list.out)
[ "$got" = "$want" ] || fail "$got 'subdevice #N:' lines, aplay -l and arecord -l list $want"
for card in $(sed -n "s/^ *\([0-9]*\) \[.*/\1/p" /proc/asound/cards); do
    # the card's section: from its "card N:" line to the next card or the PCM names
    awk -v c="card $card:" 'index($0, c) == 1 { on = 1; next } /^card |^PCM names/ { on = 0 } on' list.out >sect
    amixer -c $card scontrols | sed -n "s/^Simple mixer control '\(.*\)',\([0-9]*\)$/\2 \1/p" |
        while read -r idx name; do
            [ "$idx" = 0 ] || name="$name,$idx"
            grep "mixer:" sect | grep -qF "$name" || { echo "missing mixer control '$name' on card $card"; exit 1; }
        done || fail "card $card: a mixer control of amixer scontrols is missing (see log)"
done
