# Two loopback cables on two clocks: "PCM Rate Shift 100000" at 100010 on the capture side of cable
# 0 (hw:Loopback,1,0) slows it by 100 ppm (aloop divides its rate by shift/100000). alsatool loop
# from there into cable 1 (hw:Loopback,0,1) for 60 s: no xrun, and the mean drift it reports is
# close to -100 ppm (negative: IN runs slow).
# timeout: 80
need_alsatool loop
ctl="iface=PCM,name='PCM Rate Shift 100000',device=1,subdevice=0"
amixer -q -c "$LOOP" cset "$ctl" 100010 || skip "this snd-aloop has no PCM Rate Shift 100000 control"
at_bg loop loop hw:Loopback,1,0 hw:Loopback,0,1 --duration 60 --latency 250ms -vv
loop=$bg
wait_gone "$loop" 75
amixer -q -c "$LOOP" cset "$ctl" 100000
# -vv gives a line per estimator block (fill, drift, correction): the last of them, for a failure.
tail -n 12 loop.err | sed 's/^/  err| /'
skip_unimplemented loop
[ $rc = 0 ] || fail "alsatool loop exited $rc: $(head -n 1 loop.err)"
summary=$(tail -n 1 loop.err)
echo "$summary" | grep -q '0 xruns' || fail "xruns while correcting drift: $summary"
ppm=$(echo "$summary" | sed -n 's/.*mean drift \([-+0-9.]*\) ppm.*/\1/p')
[ -n "$ppm" ] || fail "no drift figure in: $summary"
awk -v p="$ppm" 'BEGIN { exit !(p <= -80 && p >= -120) }' ||
    fail "reported mean drift $ppm ppm, set -100 ppm"
