# alsatool record on snd-hda-intel (the second intel-hda, on QEMU's `none` audiodev: silence in real
# time): what arecord records, exactly 1 s. (QEMU's usb-audio has no capture; its wav backend fails
# reads with EIO, so the cards that play into wav files cannot record.)
need_alsatool record
record_on_real $HDAC
