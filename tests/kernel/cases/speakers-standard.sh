# A hw device without a channel map still plays, in ALSA's standard order for its channel count:
# snd-dummy's rme9652 model (26 channels only, so also the count alsatool picks without -c): FL FR RL
# RR FC LFE SL SR, then Unknown; its ac97 model (2 channels): FL FR. When a driver does expose a map
# (amixer shows a "Playback Channel Map" control), the map must come from the device instead.
need_alsatool speakers
for card in $RME $AC97; do
    if amixer -c "$card" contents 2>/dev/null | grep -q 'Playback Channel Map'; then
        want_source=device
    else
        want_source=standard
    fi
    pick=0,5
    [ "$card" = "$RME" ] || pick=0,1
    at spk$card speakers -d hw:$card,0 --channel $pick --duration 0.05 --json
    [ $rc = 0 ] || fail "alsatool speakers -d hw:$card,0 exited $rc: $(head -n 1 spk$card.err)"
    benchtool json-flat spk$card.out >flat$card || fail "invalid JSON for hw:$card,0"
    v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat$card; }
    source=$(v .map.source | tr -d '"')
    channels=$(v .channels)
    names=$(sed -n 's/^\.map\.channels\[[0-9]*\]\.position="\(.*\)"$/\1/p' flat$card | paste -sd' ')
    echo "hw:$card,0: $channels channels, map from $source: $names"
    [ "$source" = "$want_source" ] || fail "hw:$card,0: map from '$source', expected '$want_source'"
    [ "$want_source" = standard ] || continue
    case $card in
    "$RME")
        [ "$channels" = 26 ] || fail "hw:$card,0 takes only 26 channels, alsatool chose $channels"
        case $names in "FL FR RL RR FC LFE SL SR UNKNOWN "*) ;; *) fail "hw:$card,0: map '$names'" ;; esac
        [ "$(v '.played[1].position')" = '"LFE"' ] || fail "channel 5 played as $(v '.played[1].position'), not LFE"
        ;;
    *) [ "$names" = "FL FR" ] || fail "hw:$card,0: map '$names', not 'FL FR'" ;;
    esac
done
