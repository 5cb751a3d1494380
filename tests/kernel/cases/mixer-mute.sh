# mute / unmute / toggle on a playback switch (Headphone), checked with amixer sget. The dummy Master
# has no playback switch (only a capture switch): amixer refuses `mute` there, and so must alsatool,
# without touching the capture switch.
need_alsatool mixer
amixer -q -c 0 sset Headphone unmute
at mute mixer -c 0 set Headphone mute
[ $rc = 0 ] || fail "set Headphone mute exited $rc: $(head -n 1 mute.err)"
mixer_line 0 Headphone 'Front Left' | grep -q '\[off\]' || fail "after mute: $(mixer_line 0 Headphone 'Front Left')"
mixer_line 0 Headphone 'Front Right' | grep -q '\[off\]' || fail "after mute: $(mixer_line 0 Headphone 'Front Right')"
at unmute mixer -c 0 set Headphone unmute
[ $rc = 0 ] || fail "set Headphone unmute exited $rc"
mixer_line 0 Headphone 'Front Left' | grep -q '\[on\]' || fail "after unmute: $(mixer_line 0 Headphone 'Front Left')"
at toggle mixer -c 0 set Headphone toggle
[ $rc = 0 ] || fail "set Headphone toggle exited $rc"
mixer_line 0 Headphone 'Front Left' | grep -q '\[off\]' || fail "after toggle: $(mixer_line 0 Headphone 'Front Left')"
# Master: capture switch only.
amixer -q -c 0 sset Master cap
at mmute mixer -c 0 set Master mute
[ $rc != 0 ] || fail "set Master mute succeeded, but Master has no playback switch (amixer: Invalid command!)"
[ -s mmute.err ] || fail "set Master mute failed without a message"
mixer_line 0 Master 'Front Left' | grep -q 'Capture \[on\]' || fail "set Master mute changed the capture switch"
