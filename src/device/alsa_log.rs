//! alsa-lib prints "ALSA lib pcm.c:…" lines on stderr whenever a call fails, even when the
//! caller handles the failure. We route them through a handler that drops them unless `-v` was
//! given, so the user sees only our own one-line message.
//!
//! alsa-lib's handler is per thread (`snd_lib_error_set_local`), so every thread that calls
//! into ALSA calls [`quiet_this_thread`] first; [`set_verbose`] decides for all of them.

use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// With `true`, alsa-lib's own messages reach stderr as usual.
pub fn set_verbose(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
    quiet_this_thread();
}

/// Installs the filtering handler on the calling thread.
pub fn quiet_this_thread() {
    // SAFETY: the handler has the exact signature alsa-lib expects and touches no Rust state
    // that could be borrowed elsewhere.
    unsafe {
        alsa_sys::snd_lib_error_set_local(Some(handler));
    }
}

unsafe extern "C" fn handler(
    file: *const libc::c_char,
    line: libc::c_int,
    function: *const libc::c_char,
    _err: libc::c_int,
    fmt: *const libc::c_char,
    args: *mut alsa_sys::__va_list_tag,
) {
    if !VERBOSE.load(Ordering::Relaxed) || fmt.is_null() {
        return;
    }
    // The same line alsa-lib's default handler prints: "ALSA lib FILE:LINE:(FUNCTION) MESSAGE".
    // alsa-lib formats the message itself into a buffer output, so the va_list stays in C.
    let mut output = std::ptr::null_mut();
    // SAFETY: standard snd_output buffer use; `args` is the va_list alsa-lib passed us, used once.
    let message = unsafe {
        if alsa_sys::snd_output_buffer_open(&mut output) < 0 {
            return;
        }
        alsa_sys::snd_output_vprintf(output, fmt, args);
        let mut buf: *mut libc::c_char = std::ptr::null_mut();
        let len = alsa_sys::snd_output_buffer_string(output, &mut buf);
        let bytes = if buf.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(buf as *const u8, len)
        };
        let message = String::from_utf8_lossy(bytes).into_owned();
        alsa_sys::snd_output_close(output);
        message
    };
    let text = |p: *const libc::c_char| {
        if p.is_null() {
            String::new()
        } else {
            // SAFETY: alsa-lib passes NUL-terminated strings.
            unsafe { std::ffi::CStr::from_ptr(p) }
                .to_string_lossy()
                .into_owned()
        }
    };
    eprintln!(
        "ALSA lib {}:{}:({}) {}",
        text(file),
        line,
        text(function),
        message
    );
}
