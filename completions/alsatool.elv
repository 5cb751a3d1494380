
use builtin;
use str;

set edit:completion:arg-completer[alsatool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'alsatool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'alsatool'= {
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand devices 'List sound cards, PCM devices and PCM names, or show what one device can do'
            cand play 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone'
            cand record 'Record from a capture device to a WAV, FLAC or raw file'
            cand mixer 'Show, set and watch mixer controls'
            cand speakers 'Play a test signal on each speaker in turn, named from the device''s channel map'
            cand loop 'Stream a capture device to a playback device, with drift correction and gating'
            cand latency 'Measure the round-trip latency from a playback device back to a capture device'
            cand generate 'Write shell completions and man pages (for packagers and this repository)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alsatool;devices'= {
            cand --playback 'Show playback devices only'
            cand --capture 'Show capture devices only'
            cand --json 'Print JSON for scripts (the shape is documented in README and stays stable)'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alsatool;play'= {
            cand -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand --device 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand -t 'File type'
            cand --type 'File type'
            cand -f 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand --format 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand -c 'Number of channels'
            cand --channels 'Number of channels'
            cand -r 'Sample rate in Hz'
            cand --rate 'Sample rate in Hz'
            cand --buffer-time 'Device buffer length in microseconds (default: 500000 or the device''s maximum)'
            cand --period-time 'Device period length in microseconds (default: a quarter of the buffer)'
            cand --device-rate 'Run the device at this rate and resample to it (or, for record, from it)'
            cand --resample-quality 'Resampler quality: the length of its sinc filter'
            cand --sine 'Play a sine tone of this frequency in Hz instead of files (until Ctrl-C unless --duration)'
            cand --duration 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)'
            cand --start 'Start this far into each file: seconds or [h:]m:s'
            cand --control 'Read commands from this named pipe (made if missing), one a line: pause, resume, toggle, seek +10, seek -10, seek 1:30, next, previous, quit, meter, freq 1000'
            cand --loop 'Play the file list N times over, or endlessly (inf)'
            cand --no-resample 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;record'= {
            cand -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand --device 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand -t 'File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise)'
            cand --type 'File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise)'
            cand -f 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand --format 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand -c 'Number of channels'
            cand --channels 'Number of channels'
            cand -r 'Sample rate in Hz'
            cand --rate 'Sample rate in Hz'
            cand --buffer-time 'Device buffer length in microseconds (default: 500000 or the device''s maximum)'
            cand --period-time 'Device period length in microseconds (default: a quarter of the buffer)'
            cand --device-rate 'Run the device at this rate and resample to it (or, for record, from it)'
            cand --resample-quality 'Resampler quality: the length of its sinc filter'
            cand --duration 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)'
            cand --trigger 'Wait for sound: a take starts when the peak of any channel reaches this level (dBFS, -40dB or -40), and each take is its own numbered file (FILE-01, FILE-02, …)'
            cand --hang 'A take ends after this long below the level (2s, 500ms, 1.5 or [h:]m:s)'
            cand --pre-roll 'A take starts this long before the sound that triggered it'
            cand --min-take 'A take lasts at least this long (a click makes no tiny file)'
            cand --takes 'Stop after this many takes (files, with --split-on-silence)'
            cand --max-file-size 'Continue in the next numbered file once a file reaches this many bytes'
            cand --max-file-time 'Continue in the next numbered file after this long: seconds or [h:]m:s'
            cand --no-resample 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts'
            cand --split-on-silence 'Record everything, but start a new file at each silence: once the level has stayed below --trigger for --hang'
            cand --force 'Overwrite FILE if it exists'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;mixer'= {
            cand -c 'Card index or id (1, PCH); short for -d hw:CARD'
            cand --card 'Card index or id (1, PCH); short for -d hw:CARD'
            cand -d 'Control device string (hw:0, default, pulse)'
            cand --device 'Control device string (hw:0, default, pulse)'
            cand --all 'Include inactive controls in the list'
            cand --json 'Print JSON for scripts (documented in README, stable)'
            cand --linear 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand get 'Show everything about one control'
            cand set 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
            cand watch 'Print every change as it happens, until Ctrl-C'
            cand tui 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alsatool;mixer;get'= {
            cand -c 'Card index or id (1, PCH); short for -d hw:CARD'
            cand --card 'Card index or id (1, PCH); short for -d hw:CARD'
            cand -d 'Control device string (hw:0, default, pulse)'
            cand --device 'Control device string (hw:0, default, pulse)'
            cand --all 'Include inactive controls in the list'
            cand --json 'Print JSON for scripts (documented in README, stable)'
            cand --linear 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alsatool;mixer;set'= {
            cand -c 'Card index or id (1, PCH); short for -d hw:CARD'
            cand --card 'Card index or id (1, PCH); short for -d hw:CARD'
            cand -d 'Control device string (hw:0, default, pulse)'
            cand --device 'Control device string (hw:0, default, pulse)'
            cand --all 'Include inactive controls in the list'
            cand --json 'Print JSON for scripts (documented in README, stable)'
            cand --linear 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alsatool;mixer;watch'= {
            cand -c 'Card index or id (1, PCH); short for -d hw:CARD'
            cand --card 'Card index or id (1, PCH); short for -d hw:CARD'
            cand -d 'Control device string (hw:0, default, pulse)'
            cand --device 'Control device string (hw:0, default, pulse)'
            cand --all 'Include inactive controls in the list'
            cand --json 'Print JSON for scripts (documented in README, stable)'
            cand --linear 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alsatool;mixer;tui'= {
            cand -c 'Card index or id (1, PCH); short for -d hw:CARD'
            cand --card 'Card index or id (1, PCH); short for -d hw:CARD'
            cand -d 'Control device string (hw:0, default, pulse)'
            cand --device 'Control device string (hw:0, default, pulse)'
            cand --all 'Include inactive controls in the list'
            cand --json 'Print JSON for scripts (documented in README, stable)'
            cand --linear 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;mixer;help'= {
            cand get 'Show everything about one control'
            cand set 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
            cand watch 'Print every change as it happens, until Ctrl-C'
            cand tui 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alsatool;mixer;help;get'= {
        }
        &'alsatool;mixer;help;set'= {
        }
        &'alsatool;mixer;help;watch'= {
        }
        &'alsatool;mixer;help;tui'= {
        }
        &'alsatool;mixer;help;help'= {
        }
        &'alsatool;speakers'= {
            cand -d 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand --device 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)'
            cand -c 'Number of channels (default: the device''s own count, or that of its largest map)'
            cand --channels 'Number of channels (default: the device''s own count, or that of its largest map)'
            cand --channel 'Only these channels, in this order: names from the map (FL,FR,LFE) or numbers (0,3)'
            cand --signal 'The test signal'
            cand --loops 'Times through the channels; 0 goes on until q or Ctrl-C'
            cand --duration 'How long each channel plays: 1s, 500ms, 2.5 (seconds) or m:s'
            cand --level 'Level in dBFS (-18dB, -24, 0); a sine at -18 dBFS peaks there, noise has its RMS'
            cand --json 'Print the map and what was played as JSON (documented in README, stable)'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;loop'= {
            cand --latency 'Latency from IN to OUT: OUT''s buffer (20ms, 0.05, 1s)'
            cand --period 'Period of both devices (default: a quarter of the latency)'
            cand -f 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand --format 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand -c 'Number of channels'
            cand --channels 'Number of channels'
            cand -r 'Sample rate in Hz'
            cand --rate 'Sample rate in Hz'
            cand --duration 'Stop after this much audio: seconds (2.5) or [h:]m:s (1:30)'
            cand --silence-close 'Open OUT only while IN carries sound: close it after this much digital silence (2s)'
            cand --on-start 'Run this command (sh -c) before OUT opens'
            cand --on-stop 'Run this command (sh -c) after OUT closes'
            cand --volume-from 'Forward this control''s volume and switch ([DEVICE:]CONTROL); without --volume-to it scales the audio in software'
            cand --volume-to 'Set this control ([DEVICE:]CONTROL) to follow the volume; without --volume-from it follows IN''s own capture volume'
            cand --record 'Also write what passes through to FILE (WAV, or raw for a .raw name), crash-safe'
            cand --force 'Overwrite the --record FILE if it exists'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;latency'= {
            cand -f 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand --format 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat'
            cand -c 'Number of channels'
            cand --channels 'Number of channels'
            cand -r 'Sample rate in Hz'
            cand --rate 'Sample rate in Hz'
            cand --buffer-time 'Device buffer length in microseconds (default: 500000 or the device''s maximum)'
            cand --period-time 'Device period length in microseconds (default: a quarter of the buffer)'
            cand --runs 'How many times to measure'
            cand --json 'Print JSON for scripts (the shape is documented in README)'
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'alsatool;generate'= {
            cand -v 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand --verbose 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages'
            cand -q 'Show no progress bars or meters; only errors'
            cand --quiet 'Show no progress bars or meters; only errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alsatool;help'= {
            cand devices 'List sound cards, PCM devices and PCM names, or show what one device can do'
            cand play 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone'
            cand record 'Record from a capture device to a WAV, FLAC or raw file'
            cand mixer 'Show, set and watch mixer controls'
            cand speakers 'Play a test signal on each speaker in turn, named from the device''s channel map'
            cand loop 'Stream a capture device to a playback device, with drift correction and gating'
            cand latency 'Measure the round-trip latency from a playback device back to a capture device'
            cand generate 'Write shell completions and man pages (for packagers and this repository)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alsatool;help;devices'= {
        }
        &'alsatool;help;play'= {
        }
        &'alsatool;help;record'= {
        }
        &'alsatool;help;mixer'= {
            cand get 'Show everything about one control'
            cand set 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)'
            cand watch 'Print every change as it happens, until Ctrl-C'
            cand tui 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent'
        }
        &'alsatool;help;mixer;get'= {
        }
        &'alsatool;help;mixer;set'= {
        }
        &'alsatool;help;mixer;watch'= {
        }
        &'alsatool;help;mixer;tui'= {
        }
        &'alsatool;help;speakers'= {
        }
        &'alsatool;help;loop'= {
        }
        &'alsatool;help;latency'= {
        }
        &'alsatool;help;generate'= {
        }
        &'alsatool;help;help'= {
        }
    ]
    $completions[$command]
}
