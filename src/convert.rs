//! Converting between sample formats and channel layouts where a device does not take the file's.
