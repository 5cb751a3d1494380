# `alsatool devices --json` has the same cards, devices, subdevice counts and mixer controls as
# aplay -l, arecord -l and amixer scontrols (shape: cards[].{index,id,pcm_devices[],mixer_controls[]}).
need_alsatool devices
at list devices --json
[ $rc = 0 ] || fail "alsatool devices --json exited $rc: $(head -n 1 list.err)"
benchtool json-flat list.out >flat || fail "invalid JSON: $(benchtool json-flat list.out 2>&1 | tail -n 1)"
# v PATH: the value at PATH (exact, no regex)
v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat; }
ncards=$(grep -c '^\.cards\[[0-9]*\]\.index=' flat)
want=$(grep -c "^ *[0-9]* \[" /proc/asound/cards)
[ "$ncards" = "$want" ] || fail "expected $want cards (/proc/asound/cards), JSON has $ncards"
for dir in playback capture; do
    tool=aplay
    [ $dir = capture ] && tool=arecord
    $tool -l | awk '/^card / { split($0, a, /[:,]/); card = substr(a[1], 6); id = $3; dev = $0;
                       sub(/.*, device /, "", dev); split(dev, d, ":"); devno = d[1] }
                    /Subdevices:/ { split($2, s, "/"); print card, id, devno, s[1], s[2] }' >$dir.ref
    while read -r card id dev avail total; do
        c=".cards[$card]"
        [ "$(v "$c.index")" = "$card" ] || fail "$c.index is not $card"
        [ "$(v "$c.id")" = "\"$id\"" ] || fail "$c.id is $(v "$c.id"), expected \"$id\""
        found=
        j=0
        while [ -n "$(v "$c.pcm_devices[$j].device")" ]; do
            p="$c.pcm_devices[$j]"
            if [ "$(v "$p.device")" = "$dev" ] && [ "$(v "$p.direction")" = "\"$dir\"" ]; then
                found=$p
                break
            fi
            j=$((j + 1))
        done
        [ -n "$found" ] || fail "card $card has no $dir device $dev in JSON"
        n=$(awk -v k="$found.subdevices[" 'index($0, k) == 1 && /\]\.index=/' flat | wc -l)
        [ "$n" = "$total" ] || fail "$found has $n subdevices, $tool -l says $total"
        [ "$(v "$found.subdevices_available")" = "$avail" ] || fail "$found.subdevices_available is not $avail"
    done <$dir.ref
done
for card in $(sed -n "s/^ *\([0-9]*\) \[.*/\1/p" /proc/asound/cards); do
    amixer -c $card scontrols | sed -n "s/^Simple mixer control '\(.*\)',\([0-9]*\)$/\2 \1/p" >ctl.ref
    want=$(wc -l <ctl.ref)
    got=$(grep -c "^\.cards\[$card\]\.mixer_controls\[[0-9]*\]=" flat)
    [ "$want" = "$got" ] || fail "card $card: $got mixer controls in JSON, amixer scontrols lists $want"
    while read -r idx name; do
        [ "$idx" = 0 ] || name="$name,$idx"
        grep "^\.cards\[$card\]\.mixer_controls\[" flat | grep -qF "]=\"$name\"" ||
            fail "card $card: mixer control '$name' missing from JSON"
    done <ctl.ref
done
