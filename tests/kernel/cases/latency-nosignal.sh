# alsatool latency from one loopback cable to another's capture side (nothing connects them): one
# clear line, exit 1.
need_alsatool latency
at lat latency hw:Loopback,0,2 hw:Loopback,1,3 --buffer-time 40000 --runs 1
[ $rc = 1 ] || fail "exit $rc, not 1"
[ "$(wc -l <lat.err)" = 1 ] || fail "the error is not one line"
grep -q "no signal came back on 'hw:Loopback,1,3'" lat.err || fail "unclear error: $(head -n 1 lat.err)"
