# alsatool mixer set CONTROL N%: percent is alsamixer's mapped volume, the same raw value `amixer -M`
# sets (Master: -45..0 dB over raw -50..100; Headphone: softvol -40..0 dB over raw 0..40).
need_alsatool mixer
for p in 50% 0% 100% 33%; do
    same_as_amixer Master 0 "set Master $p" "-M sset Master $p"
done
for p in 50% 80%; do
    same_as_amixer Headphone 40 "set Headphone $p" "-M sset Headphone $p"
done
