# On the emulated HDA codec (when the VM has one: qemu -device intel-hda -device hda-output, with
# snd-hda-intel and snd-hda-codec-generic, which adds the kernel's standard channel maps to every
# PCM), `alsatool speakers` reports the driver's map as the device's: the same positions as the
# card's "Playback Channel Map" control for device 0 (amixer decodes its TLV: chmap-fixed=FL,FR),
# in the same order. SKIPs while the VM has no HDA card.
need_alsatool speakers
card=$(awk '/\[.*\]: HDA-Intel/ { print $1; exit }' /proc/asound/cards)
[ -n "$card" ] || skip "the VM has no HDA card (qemu -device intel-hda -device hda-output)"
amixer -c "$card" contents >contents 2>&1 || fail "amixer -c $card contents failed"
at spk speakers -d hw:$card,0 --duration 0.05 --channel 0 --json
[ $rc = 0 ] || fail "alsatool speakers -d hw:$card,0 exited $rc: $(head -n 1 spk.err)"
benchtool json-flat spk.out >flat || fail "invalid JSON from speakers --json"
v() { awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' flat; }
n=$(v .channels)
got=$(sed -n 's/^\.map\.channels\[[0-9]*\]\.position="\(.*\)"$/\1/p' flat | paste -sd,)
kmap=$(awk -v n="$n" "/Playback Channel Map'\$/ { pb = 1; next } /^numid=/ { pb = 0 }"'
            pb && /chmap-/ { sub(/.*chmap-[a-z]*=/, ""); if (split($0, a, ",") == n) { print; exit } }' contents)
echo "hw:$card,0: $n channels; alsatool's map $got from $(v .map.source); the driver's: '${kmap:-none}'"
[ -n "$kmap" ] || fail "the HDA driver shows no $n-channel map (amixer -c $card contents)"
[ "$(v .map.source)" = '"device"' ] || fail "map from $(v .map.source), not the device"
[ "$got" = "$kmap" ] || fail "alsatool's map is $got, the driver's $kmap"
