//! `loop --record`: what passes through goes to the crash-safe writer on a thread of its own,
//! so the disk never holds up the audio.

use super::*;

/// The recording thread: what passes through goes to the crash-safe writer.
pub(super) struct RecordThread {
    pub(super) tx: Option<SyncSender<Vec<u8>>>,
    pub(super) thread: Option<JoinHandle<Result<Written>>>,
    pub(super) lost: u64,
}

impl RecordThread {
    pub(super) fn start(plan: &RecordPlan, spec: PcmSpec) -> Result<RecordThread> {
        let mut writer = RecordingWriter::create(RecordingPlan {
            target: plan.target.clone(),
            container: plan.container,
            spec,
            rollover: Rollover::default(),
            duration: None,
            force: plan.force,
        })?;
        // About four seconds of periods: a disk that stalls that long costs nothing.
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(512);
        let thread = std::thread::Builder::new()
            .name("loop-record".into())
            .spawn(move || -> Result<Written> {
                loop {
                    match rx.recv_timeout(Duration::from_millis(100)) {
                        Ok(chunk) => writer.write(&chunk)?,
                        Err(RecvTimeoutError::Timeout) => writer.checkpoint()?,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                writer.finish()
            })
            .map_err(|e| anyhow!("cannot start the recording thread: {e}"))?;
        Ok(RecordThread {
            tx: Some(tx),
            thread: Some(thread),
            lost: 0,
        })
    }

    /// Hands a piece to the writer; false once the writer has failed.
    pub(super) fn send(&mut self, piece: &[u8]) -> bool {
        let Some(tx) = &self.tx else { return false };
        match tx.try_send(piece.to_vec()) {
            Ok(()) => true,
            Err(TrySendError::Full(chunk)) => {
                self.lost += chunk.len() as u64;
                true
            }
            // The writer failed: its error comes out of finish().
            Err(TrySendError::Disconnected(_)) => {
                self.tx = None;
                false
            }
        }
    }

    pub(super) fn finish(mut self) -> (Result<Written>, u64) {
        drop(self.tx.take());
        let written = match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(anyhow!("the recording thread failed")),
        };
        (written, self.lost)
    }
}
