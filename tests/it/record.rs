//! `alsatool record` against real ALSA.
