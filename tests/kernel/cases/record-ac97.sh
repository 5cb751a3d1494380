# alsatool record on snd-intel8x0 (the second AC97, on QEMU's `none` audiodev): what arecord records,
# exactly 1 s.
need_alsatool record
record_on_real $ICHC
