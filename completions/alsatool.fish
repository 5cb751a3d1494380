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
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "record" -d 'Record from a capture device to a WAV or raw file'
complete -c alsatool -n "__fish_alsatool_needs_command" -f -a "mixer" -d 'Show, set and watch mixer controls'
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
raw\t'Headerless samples; give -f, -c and -r'"
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l buffer-time -d 'Device buffer length in microseconds (default: 500000 or the device\'s maximum)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l period-time -d 'Device period length in microseconds (default: a quarter of the buffer)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l sine -d 'Play a sine tone of this frequency in Hz instead of files (until Ctrl-C unless --duration)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l duration -d 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -l start -d 'Start this far into each file: seconds or [h:]m:s' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand play" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s d -l device -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s t -l type -d 'File type (default: raw for a .raw name, WAV otherwise)' -r -f -a "auto\t'Decide from the file: its content when reading, its name when writing'
wav\t'RIFF WAVE'
raw\t'Headerless samples; give -f, -c and -r'"
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s f -l format -d 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s c -l channels -d 'Number of channels' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s r -l rate -d 'Sample rate in Hz' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l buffer-time -d 'Device buffer length in microseconds (default: 500000 or the device\'s maximum)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l period-time -d 'Device period length in microseconds (default: a quarter of the buffer)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l duration -d 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l max-file-size -d 'Continue in the next numbered file once a file reaches this many bytes' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l max-file-time -d 'Continue in the next numbered file after this long: seconds or [h:]m:s' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -l force -d 'Overwrite FILE if it exists'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand record" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -s c -l card -d 'Card index or id (1, PCH); short for -d hw:CARD' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -s d -l device -d 'Control device string (hw:0, default, pulse)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -l all -d 'Include inactive controls in the list'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -l json -d 'Print JSON for scripts (documented in README, stable)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -l linear -d 'Percent is linear in raw steps (amixer\'s default) rather than alsamixer\'s mapped volume'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -s v -l verbose -d 'Say more: negotiated parameters, conversions, and alsa-lib\'s own messages'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -s q -l quiet -d 'Show no progress bars or meters; only errors'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -s h -l help -d 'Print help'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and not __fish_seen_subcommand_from get set watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
complete -c alsatool -n "__fish_alsatool_using_subcommand mixer; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l latency -d 'Latency from IN to OUT: OUT\'s buffer (20ms, 0.05, 1s)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -l period -d 'Period of both devices (default: a quarter of the latency)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s f -l format -d 'IN\'s sample format (default: S16_LE or the nearest IN takes)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s c -l channels -d 'IN\'s channel count (default: 2 or the nearest)' -r
complete -c alsatool -n "__fish_alsatool_using_subcommand loop" -s r -l rate -d 'IN\'s rate in Hz (default: 48000 or the nearest)' -r
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
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "devices" -d 'List sound cards, PCM devices and PCM names, or show what one device can do'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "play" -d 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "record" -d 'Record from a capture device to a WAV or raw file'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "mixer" -d 'Show, set and watch mixer controls'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "loop" -d 'Stream a capture device to a playback device, with drift correction and gating'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "latency" -d 'Measure the round-trip latency from a playback device back to a capture device'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "generate" -d 'Write shell completions and man pages (for packagers and this repository)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and not __fish_seen_subcommand_from devices play record mixer loop latency generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "get" -d 'Show everything about one control'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "set" -d 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
complete -c alsatool -n "__fish_alsatool_using_subcommand help; and __fish_seen_subcommand_from mixer" -f -a "watch" -d 'Print every change as it happens, until Ctrl-C'
