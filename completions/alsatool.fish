# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_alsatool_global_optspecs
    string join \n v/verbose q/quiet h/help V/version
end

function __fish_alsatool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_alsatool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_alsatool_using_subcommand
    set -l cmd (__fish_alsatool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c alsatool -n "__fish_alsatool_needs_command" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_needs_command" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_needs_command" -s V -l version -d 'Print version'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "devices" -d 'List sound cards, PCM devices and PCM names, or show what one device can do'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "play" -d 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "record" -d 'Record from a capture device to a WAV, FLAC or raw file'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "mixer" -d 'Show, set and watch mixer controls'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "speakers" -d 'Play a test signal on each speaker in turn, named from the device\'s channel map'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "loop" -d 'Stream a capture device to a playback device, with drift correction and gating'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "latency" -d 'Measure the round-trip latency from a playback device back to a capture device'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "generate" -d 'Write shell completions and man pages (for packagers and this repository)'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -l playback -d 'Show playback devices only'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -l capture -d 'Show capture devices only'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -l json -d 'Print JSON for scripts (the shape is documented in README and stays stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand devices" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s d -l device -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s t -l type -d 'File type' -r -f -a "auto\t'Decide from the file: its content when reading, its name when writing'
wav\t'RIFF WAVE'
raw\t'Headerless samples; give -f, -c and -r'
flac\t'FLAC (record only: play finds FLAC by its content)'"
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l buffer-time -d 'Device buffer length in microseconds (default: 500000 or the device\'s maximum)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l period-time -d 'Device period length in microseconds (default: a quarter of the buffer)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l device-rate -d 'Run the device at this rate and resample to it (or, for record, from it)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l resample-quality -d 'Resampler quality: the length of its sinc filter' -r -f -a "fast\t'Shorter filter: an earlier roll-off below the Nyquist frequency; less CPU only for rate pairs without a small FFT block (44.1 and 48 kHz have one)'
good\t'Spurious tones below -140 dB, at a fraction of the CPU of sox\'s `rate -v`'
best\t'Long filter in double precision: as clean as sox\'s `rate -v`'"
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l sine -d 'Play a sine tone of this frequency in Hz instead of files (until Ctrl-C unless --duration)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l duration -d 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l start -d 'Start this far into each file: seconds or [h:]m:s' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l control -d 'Read commands from this named pipe (made if missing), one a line: pause, resume, toggle, seek +10, seek -10, seek 1:30, next, previous, quit, meter, freq 1000' -r -F
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l loop -d 'Play the file list N times over, or endlessly (inf)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l no-resample -d 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s d -l device -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s t -l type -d 'File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise)' -r -f -a "auto\t'Decide from the file: its content when reading, its name when writing'
wav\t'RIFF WAVE'
raw\t'Headerless samples; give -f, -c and -r'
flac\t'FLAC (record only: play finds FLAC by its content)'"
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l buffer-time -d 'Device buffer length in microseconds (default: 500000 or the device\'s maximum)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l period-time -d 'Device period length in microseconds (default: a quarter of the buffer)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l device-rate -d 'Run the device at this rate and resample to it (or, for record, from it)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l resample-quality -d 'Resampler quality: the length of its sinc filter' -r -f -a "fast\t'Shorter filter: an earlier roll-off below the Nyquist frequency; less CPU only for rate pairs without a small FFT block (44.1 and 48 kHz have one)'
good\t'Spurious tones below -140 dB, at a fraction of the CPU of sox\'s `rate -v`'
best\t'Long filter in double precision: as clean as sox\'s `rate -v`'"
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l duration -d 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l trigger -d 'Wait for sound: a take starts when the peak of any channel reaches this level (dBFS, -40dB or -40), and each take is its own numbered file (FILE-01, FILE-02, …)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l hang -d 'A take ends after this long below the level (2s, 500ms, 1.5 or [h:]m:s)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l pre-roll -d 'A take starts this long before the sound that triggered it' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l min-take -d 'A take lasts at least this long (a click makes no tiny file)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l takes -d 'Stop after this many takes (files, with --split-on-silence)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l max-file-size -d 'Continue in the next numbered file once a file reaches this many bytes' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l max-file-time -d 'Continue in the next numbered file after this long: seconds or [h:]m:s' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l no-resample -d 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l split-on-silence -d 'Record everything, but start a new file at each silence: once the level has stayed below --trigger for --hang'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l force -d 'Overwrite FILE if it exists'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -f -a "tui" -d 'A full-screen mixer like alsamixer, with dB beside alsamixer\'s percent'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch tui help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from tui" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "tui" -d 'A full-screen mixer like alsamixer, with dB beside alsamixer\'s percent'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -s d -l device -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -s c -l channels -d 'Number of channels (default: the device\'s own count, or that of its largest map)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l channel -d 'Only these channels, in this order: names from the map (FL,FR,LFE) or numbers (0,3)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l signal -d 'The test signal' -r -f -a "pink\t'Pink noise from 500 Hz to 2 kHz (40-120 Hz on an LFE channel), as speaker-test\'s'
sine\t'A 440 Hz sine (60 Hz on an LFE channel)'
sweep\t'A logarithmic sweep from 20 Hz to 20 kHz (to 120 Hz on an LFE channel)'"
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l loops -d 'Times through the channels; 0 goes on until q or Ctrl-C' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l duration -d 'How long each channel plays: 1s, 500ms, 2.5 (seconds) or m:s' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l level -d 'Level in dBFS (-18dB, -24, 0); a sine at -18 dBFS peaks there, noise has its RMS' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -l json -d 'Print the map and what was played as JSON (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand speakers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l latency -d 'Latency from IN to OUT: OUT\'s buffer (20ms, 0.05, 1s)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l period -d 'Period of both devices (default: a quarter of the latency)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l duration -d 'Stop after this much audio: seconds (2.5) or [h:]m:s (1:30)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l silence-close -d 'Open OUT only while IN carries sound: close it after this much digital silence (2s)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l on-start -d 'Run this command (sh -c) before OUT opens' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l on-stop -d 'Run this command (sh -c) after OUT closes' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l volume-from -d 'Forward this control\'s volume and switch ([DEVICE:]CONTROL); without --volume-to it scales the audio in software' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l volume-to -d 'Set this control ([DEVICE:]CONTROL) to follow the volume; without --volume-from it follows IN\'s own capture volume' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l record -d 'Also write what passes through to FILE (WAV, or raw for a .raw name), crash-safe' -r -F
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l force -d 'Overwrite the --record FILE if it exists'
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -l buffer-time -d 'Device buffer length in microseconds (default: 500000 or the device\'s maximum)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -l period-time -d 'Device period length in microseconds (default: a quarter of the buffer)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -l runs -d 'How many times to measure' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -l json -d 'Print JSON for scripts (the shape is documented in README)'
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand latency" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand generate" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand generate" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand generate" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "devices" -d 'List sound cards, PCM devices and PCM names, or show what one device can do'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "play" -d 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "record" -d 'Record from a capture device to a WAV, FLAC or raw file'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "mixer" -d 'Show, set and watch mixer controls'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "speakers" -d 'Play a test signal on each speaker in turn, named from the device\'s channel map'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "loop" -d 'Stream a capture device to a playback device, with drift correction and gating'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "latency" -d 'Measure the round-trip latency from a playback device back to a capture device'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "generate" -d 'Write shell completions and man pages (for packagers and this repository)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer speakers loop latency generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "tui" -d 'A full-screen mixer like alsamixer, with dB beside alsamixer\'s percent'
