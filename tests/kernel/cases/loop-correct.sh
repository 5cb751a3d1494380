# The drift correction at work: "PCM Rate Shift 100000" at 100050 slows alsatool loop's capture
# side (hw:Loopback,1,0) by 500 ppm, so the fill between it and hw:Loopback,0,1 leaves the 2 ms
# deadband after a few seconds and the resampler engages. 22 s: no xrun, a mean drift near
# -500 ppm, the correction engaged, and the fill brought back towards its target (-vv prints each
# block of the estimate).
need_alsatool loop
ctl="iface=PCM,name='PCM Rate Shift 100000',device=1,subdevice=0"
amixer -q -c "$LOOP" cset "$ctl" 100050 || skip "this snd-aloop has no PCM Rate Shift 100000 control"
run loop alsatool -vv loop hw:Loopback,1,0 hw:Loopback,0,1 --duration 22 --latency 250ms
amixer -q -c "$LOOP" cset "$ctl" 100000
skip_unimplemented loop
[ $rc = 0 ] || fail "alsatool loop exited $rc: $(head -n 1 loop.err)"
summary=$(tail -n 1 loop.err)
echo "$summary" | grep -q '0 xruns' || fail "xruns while correcting: $summary"
ppm=$(echo "$summary" | sed -n 's/.*mean drift \([-+0-9.]*\) ppm.*/\1/p')
awk -v p="$ppm" 'BEGIN { exit !(p <= -450 && p >= -550) }' || fail "reported mean drift '$ppm' ppm, set -500 ppm"
last=$(grep 'drift block' loop.err | tail -n 1)
echo "$last" | grep -q '(engaged)' || fail "the correction never engaged: $last"
err=$(echo "$last" | sed -n 's/.*fill \([0-9.]*\) ms, target \([0-9.]*\) ms.*/\1 \2/p' | awk '{ d = $1 - $2; if (d < 0) d = -d; print d }')
[ -n "$err" ] || fail "no fill in: $last"
# Uncorrected, the fill would be 11 ms below its target by now; the deadband is 2 ms.
awk -v e="$err" 'BEGIN { exit !(e < 2.0) }' || fail "the fill is $err ms from its target at the end"
