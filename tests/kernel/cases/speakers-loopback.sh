# alsatool speakers on a real driver's PCM: hw:Loopback,0,0 (snd-aloop), while arecord captures the
# other end. The map it reports is the one the kernel's "Playback Channel Map" control gives (amixer
# decodes its TLV as chmap-fixed=FL,FR), or ALSA's standard order when the driver has none; and what
# comes out of the loopback is the sine on channel 0 only, then on channel 1 only. (Captured at
# 8000 Hz, which alsatool then takes too: awk reads every frame, and TCG is slow.)
need_alsatool speakers
amixer -c "$LOOP" contents >contents 2>&1 || fail "amixer -c $LOOP contents failed"
# The first playback map the driver offers for 2 channels, e.g. "FL,FR" (empty when none).
kmap=$(awk "/Playback Channel Map'\$/ { pb = 1; next } /^numid=/ { pb = 0 }"'
            pb && /chmap-/ { sub(/.*chmap-[a-z]*=/, ""); if (split($0, a, ",") == 2) { print; exit } }' contents)
echo "kernel's playback map for 2 channels: '${kmap:-none}'"
arecord -q -D hw:Loopback,1,0 -f S16_LE -c 2 -r 8000 -t raw -d 3 cap.raw &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub0 || fail "arecord did not start"
at spk speakers -d hw:Loopback,0,0 -c 2 --signal sine --duration 0.5 --level -12dB --json
[ $rc = 0 ] || fail "alsatool speakers exited $rc: $(head -n 1 spk.err)"
wait $rec || fail "arecord failed"
benchtool json-flat spk.out >flat || fail "invalid JSON from speakers --json"
v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat; }
got="$(v '.map.channels[0].position'),$(v '.map.channels[1].position')"
got=$(echo "$got" | tr -d '"')
source=$(v .map.source | tr -d '"')
echo "alsatool: map $got from $source"
if [ -n "$kmap" ]; then
    [ "$source" = device ] || fail "the driver has a channel map ($kmap) but alsatool used '$source'"
    [ "$got" = "$kmap" ] || fail "alsatool's map is $got, the driver's $kmap"
else
    [ "$source" = standard ] || fail "the driver has no channel map but alsatool says '$source'"
    [ "$got" = "FL,FR" ] || fail "standard order for 2 channels is FL,FR, alsatool says $got"
fi
[ "$(v '.played[0].channel')" = 0 ] && [ "$(v '.played[1].channel')" = 1 ] ||
    fail "played $(v '.played[0].channel') then $(v '.played[1].channel'), not 0 then 1"
# In 0.05 s blocks, which channel carries the tone (peak above -24 dBFS, 2066 in S16) while the
# other stays below -60 dBFS (32): the runs of active blocks must read "0 1".
od -An -v -t d2 -w4 cap.raw | awk '
    function flush() {
        if (l > 2066 && r < 32) c = 0; else if (r > 2066 && l < 32) c = 1; else if (l < 32 && r < 32) c = "-"; else c = "x"
        if (c != "-" && c != last) { seq = seq (seq == "" ? "" : " ") c; last = c }
        if (c == "-") last = ""
        l = r = 0; n = 0
    }
    { a = $1 < 0 ? -$1 : $1; b = $2 < 0 ? -$2 : $2; if (a > l) l = a; if (b > r) r = b; if (++n == 400) flush() }
    END { print seq }' >seq
echo "active channels in the capture: $(cat seq)"
[ "$(cat seq)" = "0 1" ] || fail "the capture shows channels '$(cat seq)', not '0 1' (x: both at once)"
