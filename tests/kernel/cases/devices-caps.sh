# `alsatool devices hw:N,0` reports what the driver allows, as aplay --dump-hw-params shows it:
# default model U8/S16_LE 1-2 ch 5500-48000 Hz; ac97 S16_LE 2 ch 48000 Hz; rme9652 S32_LE 26 ch.
need_alsatool devices
for card in 0 1 2; do
    aplay --dump-hw-params -D hw:$card,0 -d 1 /dev/zero 2>&1 | tr -s ' \t' ' ' >ref$card || true
    fmt=$(sed -n 's/^FORMAT: //p' ref$card | sed 's/ *$//; s/ /, /g')
    ch=$(sed -n 's/^CHANNELS: //p' ref$card)
    rate=$(sed -n 's/^RATE: //p' ref$card)
    echo "aplay: hw:$card,0 formats '$fmt' channels '$ch' rate '$rate'"
    at caps$card devices --playback hw:$card,0 --json
    [ $rc = 0 ] || fail "alsatool devices hw:$card,0 --json exited $rc: $(head -n 1 caps$card.err)"
    benchtool json-flat caps$card.out >flat$card || fail "invalid JSON from devices hw:$card,0 --json"
    got_fmt=$(sed -n 's/^\.playback\.capabilities\.formats\[[0-9]*\]="\(.*\)"$/\1/p' flat$card | paste -sd, | sed 's/,/, /g')
    cmin=$(sed -n 's/^\.playback\.capabilities\.channels\.min=//p' flat$card)
    cmax=$(sed -n 's/^\.playback\.capabilities\.channels\.max=//p' flat$card)
    rmin=$(sed -n 's/^\.playback\.capabilities\.rate\.min=//p' flat$card)
    rmax=$(sed -n 's/^\.playback\.capabilities\.rate\.max=//p' flat$card)
    [ "$got_fmt" = "$fmt" ] || fail "hw:$card,0 formats '$got_fmt', aplay says '$fmt'"
    case $ch in
    \[*) [ "[$cmin $cmax]" = "$ch" ] || fail "hw:$card,0 channels $cmin-$cmax, aplay says $ch" ;;
    *) [ "$cmin $cmax" = "$ch $ch" ] || fail "hw:$card,0 channels $cmin-$cmax, aplay says $ch" ;;
    esac
    case $rate in
    \[*) [ "[$rmin $rmax]" = "$rate" ] || fail "hw:$card,0 rates $rmin-$rmax, aplay says $rate" ;;
    *) [ "$rmin $rmax" = "$rate $rate" ] || fail "hw:$card,0 rates $rmin-$rmax, aplay says $rate" ;;
    esac
done
# The text form for the ac97 card.
at text devices hw:1,0
[ $rc = 0 ] || fail "alsatool devices hw:1,0 exited $rc"
grep -q 'formats: *S16_LE$' text.out || fail "text: formats line is not 'S16_LE'"
grep -q 'channels: *2$' text.out || fail "text: channels line is not '2'"
grep -q 'rates: *48000 Hz$' text.out || fail "text: rates line is not '48000 Hz'"
