# alsatool latency over a loopback cable (hw:Loopback,0,2 -> hw:Loopback,1,2): three runs agree
# within a capture period, the figure is ALSA's buffering (the playback buffer kept full, plus at
# most a capture period) with nothing outside it but the cable's timer tick, and doubling the buffer
# moves the figure by the buffer's growth.
need_alsatool latency
measure() { # NAME BUFFER_US
    at "$1" latency hw:Loopback,0,2 hw:Loopback,1,2 --buffer-time "$2" --period-time 10000 --runs 3 --json
    [ $rc = 0 ] || fail "alsatool latency exited $rc: $(head -n 1 "$1".err)"
    benchtool json-flat "$1.out" >"$1.flat" || fail "latency --json is not JSON"
}
field() { sed -n "s/^$2=//p" "$1.flat"; }
check() { # NAME
    buffer=$(field "$1" .playback.buffer_frames)
    period=$(field "$1" .capture.period_frames)
    min=$(field "$1" .total.min_frames) med=$(field "$1" .total.median_frames) max=$(field "$1" .total.max_frames)
    outside=$(field "$1" .outside.median_frames)
    echo "$1: buffer $buffer period $period total $min/$med/$max outside $outside"
    [ -n "$med" ] && [ -n "$buffer" ] || fail "missing figures in latency --json"
    [ $((max - min)) -le "$period" ] || fail "$1: runs differ by $((max - min)) frames, more than a period ($period)"
    [ "$med" -ge $((buffer - period)) ] && [ "$med" -le $((buffer + 2 * period)) ] ||
        fail "$1: round trip $med frames does not match a $buffer-frame buffer and $period-frame period"
    o=${outside#-}
    [ "$o" -le "$period" ] || fail "$1: $outside frames outside ALSA over a loopback cable"
}
measure small 40000
check small
small=$med small_buffer=$buffer
measure large 80000
check large
grow=$((buffer - small_buffer)) moved=$((med - small))
echo "buffer grew by $grow frames, the round trip by $moved"
d=$((moved - grow))
[ "${d#-}" -le "$period" ] || fail "the buffer grew by $grow frames but the round trip by $moved"
