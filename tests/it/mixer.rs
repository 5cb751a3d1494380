//! `alsatool mixer` against real ALSA.
