# alsatool mixer -c 0 watch prints a change that amixer makes, ending with the new value.
need_alsatool mixer
start_watch
x amixer -q -c 0 sset Synth 10
db=$(mixer_line 0 Synth 'Front Left' | sed -n 's/.*\[\(-*[0-9.]*dB\)\].*/\1/p') # -27.00dB
stop_watch "Synth.*$(echo "$db" | sed 's/[.]/[.]/g')"
grep -q Synth watch.out || fail "watch did not print the change to Synth within 3 s"
grep Synth watch.out | tail -n 1 | grep -qF -- "$db" || fail "watch's last Synth line does not show $db"
