# Per-channel values (80%,40%) set left and right like amixer -M does.
need_alsatool mixer
same_as_amixer Master 0 "set Master 80%,40%" "-M sset Master 80%,40%"
set -- $(raw_lr 0 Master)
[ "$1" != "$2" ] || fail "left and right are both $1"
same_as_amixer Headphone 40 "set Headphone 80%,40%" "-M sset Headphone 80%,40%"
