# alsatool play on snd-usb-audio (QEMU's usb-audio behind qemu-xhci, S16_LE stereo 48000 Hz only):
# bit-exact in what the card played (checked on the host) but for the stretch QEMU drops at the end,
# compared with aplay's.
need_alsatool play
play_on_real $USB usb
