# --linear percent is amixer's default: raw = rint(pct * (max - min) / 100) + min.
need_alsatool mixer
amixer -q -c 0 sset Master 0
at set mixer -c 0 --linear set Master 50%
[ $rc = 0 ] || fail "alsatool mixer --linear set Master 50% exited $rc: $(head -n 1 set.err)"
# rint(50 * 150 / 100) + -50 = 25
[ "$(raw_lr 0 Master)" = "25 25" ] || fail "--linear 50% on Master (-50..100) gives raw $(raw_lr 0 Master), expected 25 25"
for p in 33% 77% 1%; do
    same_as_amixer Master 0 "--linear set Master $p" "sset Master $p"
done
same_as_amixer Headphone 0 "--linear set Headphone 33%" "sset Headphone 33%"
