//! Mixer access: simple controls, their values, amixer's value language and alsamixer's percent.
