# What the conversions produce, measured through the loopback: arecord opens the capture side first
# with a fixed format, which forces the playback side to it (like the ac97 and rme9652 models).
#   mono S24_3LE -> S16_LE stereo: both channels carry the mono signal (within 1 LSB of 16 bit)
#   S16_LE stereo -> S32_LE 26 ch: channels 0 and 1 carry the file exactly, the others are silent
need_alsatool play
check() { # FILE FORMAT CHANNELS SUBSTREAM TOLERANCE (in steps of the coarser format)
    arecord -q -D hw:Loopback,1,$4 -f $2 -c $3 -r 48000 -d 2 cap$4.wav &
    rec=$!
    wait_pcm_running /proc/asound/card3/pcm1c/sub$4 || fail "arecord did not start"
    at play$4 play -d hw:Loopback,0,$4 "$1"
    [ $rc = 0 ] || fail "alsatool play ${1##*/} into $2 $3 ch exited $rc: $(head -n 1 play$4.err)"
    wait $rec || fail "arecord failed"
    # 1 s of sine (the first sample is 0) and 0.5 s of silence: at least the whole sine must match
    x benchtool wav-compare "$1" cap$4.wav 47999 $5 ||
        fail "${1##*/} -> $2 $3 ch: $(benchtool wav-compare "$1" cap$4.wav 0 $5 | sed 's/.*stopped_at=//')"
}
check $DATA/mono24-pad.wav S16_LE 2 1 1
check $DATA/s16-stereo-pad.wav S32_LE 26 2 0
