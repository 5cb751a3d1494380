
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'alsatool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'alsatool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'alsatool' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('devices', 'devices', [CompletionResultType]::ParameterValue, 'List sound cards, PCM devices and PCM names, or show what one device can do')
            [CompletionResult]::new('play', 'play', [CompletionResultType]::ParameterValue, 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Record from a capture device to a WAV, FLAC or raw file')
            [CompletionResult]::new('mixer', 'mixer', [CompletionResultType]::ParameterValue, 'Show, set and watch mixer controls')
            [CompletionResult]::new('speakers', 'speakers', [CompletionResultType]::ParameterValue, 'Play a test signal on each speaker in turn, named from the device''s channel map')
            [CompletionResult]::new('loop', 'loop', [CompletionResultType]::ParameterValue, 'Stream a capture device to a playback device, with drift correction and gating')
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Measure the round-trip latency from a playback device back to a capture device')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packagers and this repository)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alsatool;devices' {
            [CompletionResult]::new('--playback', '--playback', [CompletionResultType]::ParameterName, 'Show playback devices only')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Show capture devices only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (the shape is documented in README and stays stable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alsatool;play' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'File type')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'File type')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--buffer-time', '--buffer-time', [CompletionResultType]::ParameterName, 'Device buffer length in microseconds (default: 500000 or the device''s maximum)')
            [CompletionResult]::new('--period-time', '--period-time', [CompletionResultType]::ParameterName, 'Device period length in microseconds (default: a quarter of the buffer)')
            [CompletionResult]::new('--device-rate', '--device-rate', [CompletionResultType]::ParameterName, 'Run the device at this rate and resample to it (or, for record, from it)')
            [CompletionResult]::new('--resample-quality', '--resample-quality', [CompletionResultType]::ParameterName, 'Resampler quality: the length of its sinc filter')
            [CompletionResult]::new('--sine', '--sine', [CompletionResultType]::ParameterName, 'Play a sine tone of this frequency in Hz instead of files (until Ctrl-C unless --duration)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start this far into each file: seconds or [h:]m:s')
            [CompletionResult]::new('--control', '--control', [CompletionResultType]::ParameterName, 'Read commands from this named pipe (made if missing), one a line: pause, resume, toggle, seek +10, seek -10, seek 1:30, next, previous, quit, meter, freq 1000')
            [CompletionResult]::new('--loop', '--loop', [CompletionResultType]::ParameterName, 'Play the file list N times over, or endlessly (inf)')
            [CompletionResult]::new('--no-resample', '--no-resample', [CompletionResultType]::ParameterName, 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;record' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--buffer-time', '--buffer-time', [CompletionResultType]::ParameterName, 'Device buffer length in microseconds (default: 500000 or the device''s maximum)')
            [CompletionResult]::new('--period-time', '--period-time', [CompletionResultType]::ParameterName, 'Device period length in microseconds (default: a quarter of the buffer)')
            [CompletionResult]::new('--device-rate', '--device-rate', [CompletionResultType]::ParameterName, 'Run the device at this rate and resample to it (or, for record, from it)')
            [CompletionResult]::new('--resample-quality', '--resample-quality', [CompletionResultType]::ParameterName, 'Resampler quality: the length of its sinc filter')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long: seconds (2.5) or [h:]m:s (1:30)')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Wait for sound: a take starts when the peak of any channel reaches this level (dBFS, -40dB or -40), and each take is its own numbered file (FILE-01, FILE-02, …)')
            [CompletionResult]::new('--hang', '--hang', [CompletionResultType]::ParameterName, 'A take ends after this long below the level (2s, 500ms, 1.5 or [h:]m:s)')
            [CompletionResult]::new('--pre-roll', '--pre-roll', [CompletionResultType]::ParameterName, 'A take starts this long before the sound that triggered it')
            [CompletionResult]::new('--min-take', '--min-take', [CompletionResultType]::ParameterName, 'A take lasts at least this long (a click makes no tiny file)')
            [CompletionResult]::new('--takes', '--takes', [CompletionResultType]::ParameterName, 'Stop after this many takes (files, with --split-on-silence)')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Continue in the next numbered file once a file reaches this many bytes')
            [CompletionResult]::new('--max-file-time', '--max-file-time', [CompletionResultType]::ParameterName, 'Continue in the next numbered file after this long: seconds or [h:]m:s')
            [CompletionResult]::new('--no-resample', '--no-resample', [CompletionResultType]::ParameterName, 'Never resample (nor, for record, convert): a rate (format, channel count) the device does not take is an error that names a device that converts')
            [CompletionResult]::new('--split-on-silence', '--split-on-silence', [CompletionResultType]::ParameterName, 'Record everything, but start a new file at each silence: once the level has stayed below --trigger for --hang')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite FILE if it exists')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;mixer' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive controls in the list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (documented in README, stable)')
            [CompletionResult]::new('--linear', '--linear', [CompletionResultType]::ParameterName, 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show everything about one control')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print every change as it happens, until Ctrl-C')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alsatool;mixer;get' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive controls in the list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (documented in README, stable)')
            [CompletionResult]::new('--linear', '--linear', [CompletionResultType]::ParameterName, 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alsatool;mixer;set' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive controls in the list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (documented in README, stable)')
            [CompletionResult]::new('--linear', '--linear', [CompletionResultType]::ParameterName, 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alsatool;mixer;watch' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive controls in the list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (documented in README, stable)')
            [CompletionResult]::new('--linear', '--linear', [CompletionResultType]::ParameterName, 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alsatool;mixer;tui' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Card index or id (1, PCH); short for -d hw:CARD')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Control device string (hw:0, default, pulse)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive controls in the list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (documented in README, stable)')
            [CompletionResult]::new('--linear', '--linear', [CompletionResultType]::ParameterName, 'Percent is linear in raw steps (amixer''s default) rather than alsamixer''s mapped volume')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;mixer;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show everything about one control')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print every change as it happens, until Ctrl-C')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alsatool;mixer;help;get' {
            break
        }
        'alsatool;mixer;help;set' {
            break
        }
        'alsatool;mixer;help;watch' {
            break
        }
        'alsatool;mixer;help;tui' {
            break
        }
        'alsatool;mixer;help;help' {
            break
        }
        'alsatool;speakers' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'ALSA device string (hw:0, plughw:1, default, pulse, null, …)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of channels (default: the device''s own count, or that of its largest map)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Number of channels (default: the device''s own count, or that of its largest map)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only these channels, in this order: names from the map (FL,FR,LFE) or numbers (0,3)')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'The test signal')
            [CompletionResult]::new('--loops', '--loops', [CompletionResultType]::ParameterName, 'Times through the channels; 0 goes on until q or Ctrl-C')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long each channel plays: 1s, 500ms, 2.5 (seconds) or m:s')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Level in dBFS (-18dB, -24, 0); a sine at -18 dBFS peaks there, noise has its RMS')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the map and what was played as JSON (documented in README, stable)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;loop' {
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Latency from IN to OUT: OUT''s buffer (20ms, 0.05, 1s)')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'Period of both devices (default: a quarter of the latency)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this much audio: seconds (2.5) or [h:]m:s (1:30)')
            [CompletionResult]::new('--silence-close', '--silence-close', [CompletionResultType]::ParameterName, 'Open OUT only while IN carries sound: close it after this much digital silence (2s)')
            [CompletionResult]::new('--on-start', '--on-start', [CompletionResultType]::ParameterName, 'Run this command (sh -c) before OUT opens')
            [CompletionResult]::new('--on-stop', '--on-stop', [CompletionResultType]::ParameterName, 'Run this command (sh -c) after OUT closes')
            [CompletionResult]::new('--volume-from', '--volume-from', [CompletionResultType]::ParameterName, 'Forward this control''s volume and switch ([DEVICE:]CONTROL); without --volume-to it scales the audio in software')
            [CompletionResult]::new('--volume-to', '--volume-to', [CompletionResultType]::ParameterName, 'Set this control ([DEVICE:]CONTROL) to follow the volume; without --volume-from it follows IN''s own capture volume')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Also write what passes through to FILE (WAV, or raw for a .raw name), crash-safe')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the --record FILE if it exists')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;latency' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Number of channels')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Sample rate in Hz')
            [CompletionResult]::new('--buffer-time', '--buffer-time', [CompletionResultType]::ParameterName, 'Device buffer length in microseconds (default: 500000 or the device''s maximum)')
            [CompletionResult]::new('--period-time', '--period-time', [CompletionResultType]::ParameterName, 'Device period length in microseconds (default: a quarter of the buffer)')
            [CompletionResult]::new('--runs', '--runs', [CompletionResultType]::ParameterName, 'How many times to measure')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts (the shape is documented in README)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alsatool;generate' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: negotiated parameters, conversions, and alsa-lib''s own messages')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Show no progress bars or meters; only errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alsatool;help' {
            [CompletionResult]::new('devices', 'devices', [CompletionResultType]::ParameterValue, 'List sound cards, PCM devices and PCM names, or show what one device can do')
            [CompletionResult]::new('play', 'play', [CompletionResultType]::ParameterValue, 'Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Record from a capture device to a WAV, FLAC or raw file')
            [CompletionResult]::new('mixer', 'mixer', [CompletionResultType]::ParameterValue, 'Show, set and watch mixer controls')
            [CompletionResult]::new('speakers', 'speakers', [CompletionResultType]::ParameterValue, 'Play a test signal on each speaker in turn, named from the device''s channel map')
            [CompletionResult]::new('loop', 'loop', [CompletionResultType]::ParameterValue, 'Stream a capture device to a playback device, with drift correction and gating')
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Measure the round-trip latency from a playback device back to a capture device')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packagers and this repository)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alsatool;help;devices' {
            break
        }
        'alsatool;help;play' {
            break
        }
        'alsatool;help;record' {
            break
        }
        'alsatool;help;mixer' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show everything about one control')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle, cap, nocap), enum items, direction words (playback, capture), channel words (front, rear)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print every change as it happens, until Ctrl-C')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'A full-screen mixer like alsamixer, with dB beside alsamixer''s percent')
            break
        }
        'alsatool;help;mixer;get' {
            break
        }
        'alsatool;help;mixer;set' {
            break
        }
        'alsatool;help;mixer;watch' {
            break
        }
        'alsatool;help;mixer;tui' {
            break
        }
        'alsatool;help;speakers' {
            break
        }
        'alsatool;help;loop' {
            break
        }
        'alsatool;help;latency' {
            break
        }
        'alsatool;help;generate' {
            break
        }
        'alsatool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
