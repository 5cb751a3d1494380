# aplay noise into one loopback cable (hw:Loopback,0,0), alsatool loop from its capture side
# (hw:Loopback,1,0) into a second cable (hw:Loopback,0,1), arecord from that one's capture side
# (hw:Loopback,1,1): a 1 s slice of the noise comes through bit-exact (one clock, no correction).
# 250 ms of latency in the loop-* cases that count xruns or compare bytes (100 ms where they do
# not): the TCG guest on a busy host stalls for tens of ms at times, and once for over 100 ms in
# a CI-like run (an underrun, recovered, but these cases fail on one).
need_alsatool loop
ref=$DATA/noise3.wav
arecord -q -D hw:Loopback,1,1 -f S16_LE -c 2 -r 48000 -d 6 cap.wav &
rec=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub1 || fail "arecord did not start"
at_bg loop loop hw:Loopback,1,0 hw:Loopback,0,1 --duration 5 --latency 250ms
loop=$bg
wait_pcm_running /proc/asound/card3/pcm1c/sub0 || { show loop; fail "alsatool loop did not start capturing"; }
must aplay -q -D hw:Loopback,0,0 "$ref"
wait_gone "$loop" 10
show loop
skip_unimplemented loop
[ $rc = 0 ] || fail "alsatool loop exited $rc: $(head -n 1 loop.err)"
grep -q '0 xruns' loop.err || fail "xruns while looping: $(tail -n 1 loop.err)"
wait $rec || fail "arecord failed"
x benchtool wav-match "$ref" cap.wav 48000 ||
    fail "what came through differs from what aplay played ($(benchtool wav-match "$ref" cap.wav 0))"
