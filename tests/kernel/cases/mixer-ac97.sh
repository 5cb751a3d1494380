# alsatool mixer on a real AC97 codec (snd-intel8x0, QEMU's STAC9700), against amixer:
# - Capture, 0..15 = 0..22.5 dB: at most 24 dB, so alsamixer's mapped percent (amixer -M) is linear
#   in dB; `set Capture N%` sets amixer -M's raw value, and `get --json` shows amixer -M's percent
#   (and amixer's linear percent as percent_linear);
# - PCM, -34.5..+12 dB: the perceptual curve;
# - the joined capture switch of Capture (cap/nocap);
# - the capture source: the codec's enumerated 'Capture Source' (Mic, CD, Video, Aux, Line, Mix,
#   Mix Mono, Phone), which the simple mixer shows as an exclusive group of capture switches:
#   `set Line cap` selects Line (and so turns Mic's switch off), as `amixer sset Line cap` does.
need_alsatool mixer
MIXER_CARD=$ICH
for p in 50% 33% 71% 100%; do
    same_as_amixer Capture 0 "set Capture $p" "-M sset Capture $p"
done
for p in 50% 20%; do
    same_as_amixer PCM 31 "set PCM $p" "-M sset PCM $p"
done
# get: the same percents as amixer -M and amixer, on a few raw values
for raw in 7 12; do
    amixer -q -c $ICH sset Capture $raw
    at get mixer -c $ICH get Capture --json
    [ $rc = 0 ] || fail "get Capture --json exited $rc: $(head -n 1 get.err)"
    benchtool json-flat get.out >flat || fail "invalid JSON from get Capture --json"
    line=$(mixer_line $ICH Capture 'Front Left')
    mline=$(amixer -M -c $ICH sget Capture | grep -m1 '^ *Front Left:')
    pct=$(echo "$line" | sed -n 's/[^[]*\[\([0-9]*\)%\].*/\1/p')
    mpct=$(echo "$mline" | sed -n 's/[^[]*\[\([0-9]*\)%\].*/\1/p')
    got=$(sed -n 's/^\.capture\.channels\[0\]\.percent=//p' flat)
    gotl=$(sed -n 's/^\.capture\.channels\[0\]\.percent_linear=//p' flat)
    echo "raw $raw: amixer -M $mpct%, amixer $pct%; alsatool percent $got, percent_linear $gotl"
    [ "$got" = "$mpct" ] || fail "Capture raw $raw: get --json percent is '$got', amixer -M says $mpct%"
    [ "$gotl" = "$pct" ] || fail "Capture raw $raw: get --json percent_linear is '$gotl', amixer says $pct%"
    at text mixer -c $ICH get Capture
    grep -q "$mpct%" text.out || fail "Capture raw $raw: 'mixer get Capture' does not show amixer -M's $mpct%"
done
# capture switch (one switch for both channels)
at nocap mixer -c $ICH set Capture nocap
[ $rc = 0 ] || fail "set Capture nocap exited $rc: $(head -n 1 nocap.err)"
mixer_line $ICH Capture 'Front Right' | grep -q '\[off\]' || fail "after nocap: $(mixer_line $ICH Capture 'Front Right')"
at cap mixer -c $ICH set Capture cap
[ $rc = 0 ] || fail "set Capture cap exited $rc: $(head -n 1 cap.err)"
mixer_line $ICH Capture 'Front Left' | grep -q '\[on\]' || fail "after cap: $(mixer_line $ICH Capture 'Front Left')"
# capture source
src() { amixer -c $ICH cget iface=MIXER,name='Capture Source' | sed -n 's/^ *: values=//p'; }
amixer -q -c $ICH sset Mic cap
[ "$(src)" = "0,0" ] || fail "amixer sset Mic cap: Capture Source is $(src), not 0,0 (test premise)"
at line mixer -c $ICH set Line cap
[ $rc = 0 ] || fail "set Line cap exited $rc: $(head -n 1 line.err)"
[ "$(src)" = "4,4" ] || fail "after set Line cap, Capture Source is $(src), not Line (4,4)"
mixer_line $ICH Line 'Front Left' | grep -q 'Capture \[on\]' || fail "after set Line cap: Line $(mixer_line $ICH Line 'Front Left')"
mixer_line $ICH Mic 'Front Left' | grep -q 'Capture \[off\]' || fail "after set Line cap: Mic $(mixer_line $ICH Mic 'Front Left')"
at mic mixer -c $ICH set Mic cap
[ $rc = 0 ] || fail "set Mic cap exited $rc: $(head -n 1 mic.err)"
[ "$(src)" = "0,0" ] || fail "after set Mic cap, Capture Source is $(src), not Mic (0,0)"
real_volumes_max $ICH
