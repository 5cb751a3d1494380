# Reference tools see the four cards at their fixed indexes (aplay -l, arecord -l, /proc/asound/cards).
run list aplay -l
[ $rc = 0 ] || fail "aplay -l failed"
for c in "0: Dummy " "1: DummyAC97 " "2: DummyRME " "3: Loopback "; do
    grep -q "^card $c" list.out || fail "aplay -l has no 'card $c'"
done
[ "$(grep -c '^card ' list.out)" -ge 5 ] || fail "aplay -l: expected 3 dummy devices + 2 loopback devices"
grep -A2 '^card 3: Loopback .*device 0' list.out | grep -q 'Subdevices: 4/4' || fail "Loopback device 0 should have 4 subdevices"
run rec arecord -l
grep -q '^card 3: Loopback .*device 1' rec.out || fail "arecord -l has no Loopback device 1"
