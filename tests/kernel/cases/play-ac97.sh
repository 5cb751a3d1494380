# alsatool play on snd-intel8x0 (QEMU's AC97, a STAC9700 codec): bit-exact in what the card played
# (checked on the host) but for the stretch QEMU drops at the end, compared with aplay's.
need_alsatool play
play_on_real $ICH ac97
