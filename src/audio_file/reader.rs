//! Reading audio files for playback: WAV headers and streaming reads of the data that follows.
