# A channel map in an order other than ALSA's standard one, on a real driver: alsa-lib's hw plugin
# with a `chmap` override on hw:Loopback,0,1 (snd-aloop reports no map of its own; see
# speakers-loopback), 6 channels FL FR FC LFE SL SR. alsatool must report that map as the device's,
# name channel 3 LFE (standard order would say Rear Right), and the capture of the other end must
# carry the tone on channels 0 to 5 one at a time in that order, with the subwoofer's 60 Hz on 3.
# The capture runs at 8000 Hz (alsatool takes the rate the loopback's other end fixed): awk reads
# every frame, and under TCG 48000 of them a second take too long.
need_alsatool speakers
export HOME=$TEST_DIR
cat >"$HOME/.asoundrc" <<'CONF'
pcm.mapped6 {
    type hw
    card Loopback
    device 0
    subdevice 1
    chmap [ "FL,FR" "FL,FR,FC,LFE,SL,SR" ]
}
CONF
arecord -q -D hw:Loopback,1,1 -f S16_LE -c 6 -r 8000 -t raw -d 4 cap.raw &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub1 || fail "arecord did not start"
at spk speakers -d mapped6 -c 6 --signal sine --duration 0.3 --level -12dB --json
[ $rc = 0 ] || fail "alsatool speakers exited $rc: $(head -n 1 spk.err)"
wait $rec || fail "arecord failed"
benchtool json-flat spk.out >flat || fail "invalid JSON from speakers --json"
v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat; }
names=$(sed -n 's/^\.map\.channels\[[0-9]*\]\.position="\(.*\)"$/\1/p' flat | paste -sd' ')
echo "alsatool: map '$names' from $(v .map.source)"
[ "$(v .map.source)" = '"device"' ] || fail "map from $(v .map.source), not the device"
[ "$names" = "FL FR FC LFE SL SR" ] || fail "map '$names', not 'FL FR FC LFE SL SR'"
[ "$(v '.played[3].name')" = '"LFE"' ] || fail "channel 3 played as $(v '.played[3].name')"
# In 0.05 s blocks, the one channel whose peak is above -24 dBFS (2066) while all others stay below
# -60 dBFS (32); the runs of such blocks must read "0 1 2 3 4 5". Upward zero crossings per channel
# tell the LFE's 60 Hz (about 18 in 0.3 s) from 440 Hz (about 130).
od -An -v -t d2 -w12 cap.raw | awk '
    function flush(   c, k, hot, quiet) {
        hot = -1; quiet = 1
        for (k = 1; k <= 6; k++) {
            if (p[k] > 2066) { if (hot >= 0) quiet = 0; hot = k - 1 }
            else if (p[k] >= 32) quiet = 0
        }
        c = (hot >= 0 && quiet) ? hot : (hot < 0 && quiet ? "-" : "x")
        if (c != "-" && c != last) { seq = seq (seq == "" ? "" : " ") c; last = c }
        if (c == "-") last = ""
        for (k = 1; k <= 6; k++) p[k] = 0
        n = 0
    }
    {
        for (k = 1; k <= 6; k++) {
            a = $k < 0 ? -$k : $k; if (a > p[k]) p[k] = a
            if (prev[k] < 0 && $k >= 0) up[k]++
            prev[k] = $k
        }
        if (++n == 400) flush()
    }
    END { print seq; for (k = 1; k <= 6; k++) printf "%d%s", up[k], k < 6 ? " " : "\n" }' >seq
echo "active channels in the capture: $(sed -n 1p seq); upward crossings: $(sed -n 2p seq)"
[ "$(sed -n 1p seq)" = "0 1 2 3 4 5" ] || fail "the capture shows channels '$(sed -n 1p seq)', not '0 1 2 3 4 5'"
sed -n 2p seq | awk '{ for (k = 1; k <= 6; k++) if ((k == 4) != ($k < 50)) exit 1 }' ||
    fail "zero crossings per channel '$(sed -n 2p seq)': only channel 3 should carry 60 Hz"
