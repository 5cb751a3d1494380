# alsatool mixer set CONTROL NdB sets the same raw value as amixer (-10dB on Master is raw 67 = -9.90dB).
need_alsatool mixer
same_as_amixer Master 0 "set Master -10dB" "sset Master -- -10dB"
same_as_amixer Master 0 "set Master -22.5dB" "sset Master -- -22.5dB"
same_as_amixer Master 0 "set Master 0dB" "sset Master 0dB"
same_as_amixer Headphone 40 "set Headphone -6dB" "sset Headphone -- -6dB"
mixer_line 0 Master 'Front Left'
