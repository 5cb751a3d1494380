# Relative changes (5%+, 5%-, 3dB+) match amixer -M from the same starting point.
# The dummy's Master has one common volume for both directions, and amixer applies a relative change
# once per direction (+5% twice), so its reference names the direction: `sset Master playback 5%+`.
need_alsatool mixer
same_as_amixer Master 25 "set Master 5%+" "-M sset Master playback 5%+"
same_as_amixer Master 25 "set Master 5%-" "-M sset Master playback 5%-"
same_as_amixer Master 25 "set Master 3dB+" "-M sset Master playback 3dB+"
same_as_amixer Headphone 20 "set Headphone 10%+" "-M sset Headphone 10%+"
same_as_amixer Headphone 20 "set Headphone 10%-" "-M sset Headphone 10%-"
