# Gating over a loopback cable: aplay noise1.wav (1 s noise, 0.5 s silence) twice into
# hw:Loopback,0,2, a second apart; alsatool loop from hw:Loopback,1,2 with --silence-close 0.3s
# opens hw:Loopback,0,3 for each burst and closes it after each silence: two cycles, and the hooks
# run once per opening and closing.
need_alsatool loop
at_bg loop loop hw:Loopback,1,2 hw:Loopback,0,3 --duration 5.5 --latency 100ms --silence-close 0.3s \
    --on-start "echo start >> $TEST_DIR/hooks.log" --on-stop "echo stop >> $TEST_DIR/hooks.log"
loop=$bg
wait_pcm_running /proc/asound/card3/pcm1c/sub2 || { show loop; fail "alsatool loop did not start capturing"; }
must aplay -q -D hw:Loopback,0,2 "$DATA/noise1.wav"
sleep 1
must aplay -q -D hw:Loopback,0,2 "$DATA/noise1.wav"
wait_gone "$loop" 10
show loop
skip_unimplemented loop
[ $rc = 0 ] || fail "alsatool loop exited $rc: $(head -n 1 loop.err)"
log=$(tr '\n' ' ' <hooks.log)
echo "hooks: $log"
[ "$log" = "start stop start stop " ] || fail "hooks ran as '$log', not start stop start stop"
grep -q 'OUT opened 2 time(s)' loop.err || fail "not two openings: $(tail -n 1 loop.err)"
