//! `alsatool mixer tui`: a full-screen mixer in the manner of alsamixer, showing alsamixer's
//! mapped percent and the dB value side by side.
//!
//! The parts, one concern each:
//! - [`keys`]: which key means what (alsamixer's bindings, plus the additions);
//! - [`model`]: the screen's state and what a key or mouse event does to it; pure, so it is
//!   unit-tested without a terminal. Changes to the device leave it as [`model::Effect`]s carrying
//!   amixer value-language arguments, so they go through the same checked `apply` as `mixer set`;
//! - [`layout`]: where each column is, shared by drawing and mouse hit-testing;
//! - [`render`]: drawing a model into a ratatui buffer;
//! - [`terminal`]: the only part that touches the terminal and the device: raw mode, the
//!   alternate screen, restoring them on every exit, and the loop that waits on the mixer's
//!   descriptors and the terminal together.

#[cfg(test)]
pub(crate) mod fake;
pub mod keys;
pub mod layout;
pub mod model;
pub mod render;
pub mod terminal;

pub use terminal::run;
