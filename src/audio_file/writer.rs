//! Writing recordings: WAV and raw output, kept valid on disk whatever ends the recording.
