# alsatool play on snd-hda-intel (QEMU's intel-hda + hda-duplex, generic codec): the host finds the
# file in what the card played (QEMU's wav output) bit-exact, but for the stretch QEMU drops at the end
# of every stream, which must not be longer than aplay's on the same card (+20 ms).
need_alsatool play
play_on_real $HDA hda
