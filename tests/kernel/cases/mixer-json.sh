# alsatool mixer -c 0 get Master --json agrees with amixer sget on the same control: name, raw limits
# and dB range, and per channel the raw value, dB, linear percent (amixer) and mapped percent (amixer -M).
need_alsatool mixer
amixer -q -c 0 sset Master 40,60
at get mixer -c 0 get Master --json
[ $rc = 0 ] || fail "exited $rc: $(head -n 1 get.err)"
benchtool json-flat get.out >flat || fail "invalid JSON: $(benchtool json-flat get.out 2>&1 | tail -n 1)"
v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat; }
# eq PATH WANT: numeric comparison (so -45 equals -45.0)
eq() {
    got=$(v "$1")
    awk -v a="$got" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 == b + 0) }' ||
        fail "$1 is '$got', amixer says $2"
}
[ "$(v .name)" = '"Master"' ] || fail ".name is $(v .name)"
eq .playback.volume.min -50
eq .playback.volume.max 100
eq .playback.volume.min_db -45
eq .playback.volume.max_db 0
i=0
for ch in 'Front Left' 'Front Right'; do
    line=$(mixer_line 0 Master "$ch")          # Front Left: 40 [60%] [-18.00dB] Capture [off]
    mline=$(amixer -M -c 0 sget Master | grep -m1 "^ *$ch:")
    raw=$(mixer_raw 0 Master "$ch")
    db=$(echo "$line" | sed -n 's/.*\[\(-*[0-9.]*\)dB\].*/\1/p')
    pct=$(echo "$line" | sed -n 's/[^[]*\[\([0-9]*\)%\].*/\1/p')
    mpct=$(echo "$mline" | sed -n 's/[^[]*\[\([0-9]*\)%\].*/\1/p')
    echo "$ch: raw $raw, $db dB, linear $pct%, mapped $mpct%"
    [ "$(v ".playback.channels[$i].name")" = "\"$ch\"" ] || fail "channel $i is $(v ".playback.channels[$i].name"), not $ch"
    eq ".playback.channels[$i].raw" "$raw"
    eq ".playback.channels[$i].db" "$db"
    eq ".playback.channels[$i].percent_linear" "$pct"
    eq ".playback.channels[$i].percent" "$mpct"
    i=$((i + 1))
done
