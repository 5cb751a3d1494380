amixer -c 0
amixer -c 0 contents | head -80
amixer -c 0 sset Master mute; amixer -c 0 sget Master
amixer -c 0 sset Mic cap; amixer -c 0 sget Mic
arecord -D hw:Loopback,1,1 -f S32_LE -c 26 -r 48000 -d 3 /tmp/c.wav &
sleep 0.5
aplay -D hw:Loopback,0,1 $DATA/s16-stereo.wav
echo "aplay rc=$?"
aplay -D hw:Loopback,0,1 -f S32_LE -c 26 -r 48000 -d 1 /dev/zero
echo "aplay2 rc=$?"
aplay --dump-hw-params -D hw:1,0 -d 1 /dev/zero
aplay --dump-hw-params -D hw:0,0 -d 1 /dev/zero
