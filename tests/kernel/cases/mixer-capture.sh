# cap / nocap on the Mic capture switch, checked with amixer sget.
need_alsatool mixer
amixer -q -c 0 sset Mic nocap
at cap mixer -c 0 set Mic cap
[ $rc = 0 ] || fail "set Mic cap exited $rc: $(head -n 1 cap.err)"
mixer_line 0 Mic 'Front Left' | grep -q 'Capture \[on\]' || fail "after cap: $(mixer_line 0 Mic 'Front Left')"
mixer_line 0 Mic 'Front Right' | grep -q 'Capture \[on\]' || fail "after cap: $(mixer_line 0 Mic 'Front Right')"
at nocap mixer -c 0 set Mic nocap
[ $rc = 0 ] || fail "set Mic nocap exited $rc: $(head -n 1 nocap.err)"
mixer_line 0 Mic 'Front Left' | grep -q 'Capture \[off\]' || fail "after nocap: $(mixer_line 0 Mic 'Front Left')"
