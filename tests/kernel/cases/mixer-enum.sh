# An enumerated control: snd-dummy's 'External I/O Box' (items 'None', 'CD Player'), set by item name
# as amixer sets it; an item it does not have is refused and changes nothing.
need_alsatool mixer
ctl='External I/O Box'
item() { amixer -c 0 sget "$ctl" | sed -n "s/^ *Item0: '\(.*\)'$/\1/p"; }
amixer -q -c 0 sset "$ctl" 'CD Player'
at none mixer -c 0 set "$ctl" None
[ $rc = 0 ] || fail "set '$ctl' None exited $rc: $(head -n 1 none.err)"
[ "$(item)" = None ] || fail "after set None, amixer shows '$(item)'"
at cd mixer -c 0 set "$ctl" 'CD Player'
[ $rc = 0 ] || fail "set '$ctl' 'CD Player' exited $rc: $(head -n 1 cd.err)"
[ "$(item)" = 'CD Player' ] || fail "after set 'CD Player', amixer shows '$(item)'"
at bad mixer -c 0 set "$ctl" Tape
[ $rc != 0 ] || fail "set '$ctl' Tape (no such item) succeeded"
[ "$(item)" = 'CD Player' ] || fail "a refused item changed the control to '$(item)'"
