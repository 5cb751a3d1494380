//! `alsatool play` against real ALSA.
