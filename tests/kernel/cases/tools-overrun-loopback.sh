# The premise of record-overrun-*: a 1 s SIGSTOP of arecord (0.2 s buffer) on the loopback's capture
# side is a real overrun, which arecord survives ("overrun!!!"), and what it records after the gap is
# again exactly what aplay plays (found in the file by its bytes), as is what came before.
ref=$DATA/noise7.wav
aplay -q -D hw:Loopback,0,3 "$ref" &
wait_pcm_running /proc/asound/card3/pcm0p/sub3 || fail "aplay did not start"
echo "+ arecord -D hw:Loopback,1,3 -f S16_LE -c 2 -r 48000 --buffer-time 200000 -s 168000 out.wav &"
arecord -D hw:Loopback,1,3 -f S16_LE -c 2 -r 48000 --buffer-time 200000 -s 168000 out.wav 2>rec.err &
r=$!
wait_pcm_running /proc/asound/card3/pcm1c/sub3 || fail "arecord did not start"
stall $r
wait $r
rc=$?
cat rec.err
[ $rc = 0 ] || fail "arecord exited $rc after the overrun"
grep -q 'overrun!!!' rec.err || fail "arecord saw no overrun"
x benchtool wav-find "$ref" out.wav 4800 24000 || fail "arecord's recording before the overrun is not what aplay played"
x benchtool wav-find "$ref" out.wav 96000 48000 || fail "arecord's recording after the overrun is not what aplay played"
