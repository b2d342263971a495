# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_trove_global_optspecs
    string join \n vault= identity= passphrase-file= json q/quiet color= h/help V/version
end

function __fish_trove_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_trove_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_trove_using_subcommand
    set -l cmd (__fish_trove_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c trove -n "__fish_trove_needs_command" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_needs_command" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_needs_command" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_needs_command" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_needs_command" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_needs_command" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_needs_command" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_needs_command" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_needs_command" -f -a "init" -d 'Create a new encrypted vault'
complete -c trove -n "__fish_trove_needs_command" -f -a "status" -d 'Show what the vault holds: sources, counts, coverage, recent imports and errors'
complete -c trove -n "__fish_trove_needs_command" -f -a "check" -d 'Check that the vault is encrypted and intact'
complete -c trove -n "__fish_trove_needs_command" -f -a "import" -d 'Import exports (zip, folder or file); the importer is recognized from the contents'
complete -c trove -n "__fish_trove_needs_command" -f -a "sources" -d 'List the importers and how to get each export'
complete -c trove -n "__fish_trove_needs_command" -f -a "metrics" -d 'List the metric catalog with counts in this vault'
complete -c trove -n "__fish_trove_needs_command" -f -a "query" -d 'Run read-only SQL over the vault and its documented views'
complete -c trove -n "__fish_trove_needs_command" -f -a "stats" -d 'Statistics of a metric per day, week or month, with devices de-duplicated'
complete -c trove -n "__fish_trove_needs_command" -f -a "timeline" -d 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics'
complete -c trove -n "__fish_trove_needs_command" -f -a "export" -d 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)'
complete -c trove -n "__fish_trove_needs_command" -f -a "report" -d 'Write a self-contained HTML report: coverage, metrics, what was shared'
complete -c trove -n "__fish_trove_needs_command" -f -a "device" -d 'The devices that recorded data, and their priority when they overlap'
complete -c trove -n "__fish_trove_needs_command" -f -a "key" -d 'Manage the key slots that unlock the vault'
complete -c trove -n "__fish_trove_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c trove -n "__fish_trove_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand init" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand init" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand init" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand init" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand init" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand init" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand init" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand init" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand status" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand status" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand status" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand status" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand status" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand status" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand status" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand status" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand check" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand check" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand check" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand check" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand check" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand check" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand check" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand check" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand import" -l source -d 'Use this importer instead of recognizing the input (ids: `trove sources`)' -r
complete -c trove -n "__fish_trove_using_subcommand import" -l timezone -d 'IANA time zone for exports whose local times carry no offset (e.g. Europe/Berlin)' -r
complete -c trove -n "__fish_trove_using_subcommand import" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand import" -l dry-run -d 'Read everything and report what would be added, without changing the vault'
complete -c trove -n "__fish_trove_using_subcommand import" -l strict -d 'Stop (and keep nothing of the file) at the first rejected record or unreadable file'
complete -c trove -n "__fish_trove_using_subcommand import" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand import" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand import" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand import" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand sources" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand sources" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand sources" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand sources" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand sources" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand sources" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand sources" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand sources" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand metrics" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand metrics" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand metrics" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand metrics" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand metrics" -l present -d 'Only metrics the vault has samples of'
complete -c trove -n "__fish_trove_using_subcommand metrics" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand metrics" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand metrics" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand metrics" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand query" -l format -d 'Output format (--json means json)' -r -f -a "table\t'Aligned columns for people'
csv\t'RFC 4180 CSV with a header row'
json\t'JSON lines: one object per row, keyed by column name'"
complete -c trove -n "__fish_trove_using_subcommand query" -l tz -d 'Time zone of local_time(), local_date() and the views\' local days [default: this machine\'s zone]' -r
complete -c trove -n "__fish_trove_using_subcommand query" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand query" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand query" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand query" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand query" -l schema -d 'List the views and tables with their columns instead of running a query'
complete -c trove -n "__fish_trove_using_subcommand query" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand query" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trove -n "__fish_trove_using_subcommand query" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand stats" -l since -d 'From this local date (2024-01-31) or RFC 3339 time' -r
complete -c trove -n "__fish_trove_using_subcommand stats" -l until -d 'Up to this local date (inclusive) or RFC 3339 time (exclusive)' -r
complete -c trove -n "__fish_trove_using_subcommand stats" -l device -d 'Only samples from this device (repeatable; `trove device list`)' -r
complete -c trove -n "__fish_trove_using_subcommand stats" -l prefer-device -d 'Rank this device first for this query (repeatable, in order of preference)' -r
complete -c trove -n "__fish_trove_using_subcommand stats" -l tz -d 'Time zone whose calendar days are used [default: this machine\'s zone]' -r
complete -c trove -n "__fish_trove_using_subcommand stats" -l chart -d 'Draw a chart under the numbers (auto: when stdout is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand stats" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand stats" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand stats" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand stats" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand stats" -l daily -d 'One row per local day (the default)'
complete -c trove -n "__fish_trove_using_subcommand stats" -l weekly -d 'One row per ISO week (Monday to Sunday)'
complete -c trove -n "__fish_trove_using_subcommand stats" -l monthly -d 'One row per calendar month'
complete -c trove -n "__fish_trove_using_subcommand stats" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand stats" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand stats" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand stats" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand timeline" -l tz -d 'Time zone whose calendar day is shown [default: this machine\'s zone]' -r
complete -c trove -n "__fish_trove_using_subcommand timeline" -l run-limit -d 'In the human output, show at most N consecutive entries of one kind (0: all)' -r
complete -c trove -n "__fish_trove_using_subcommand timeline" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand timeline" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand timeline" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand timeline" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand timeline" -l all-metrics -d 'Show every metric with data that day, not only the key ones'
complete -c trove -n "__fish_trove_using_subcommand timeline" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand timeline" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand timeline" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand timeline" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand export" -l metric -d 'Include samples of METRIC (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand export" -l kind -d 'Include events of KIND (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand export" -l source -d 'Only rows from these importers (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand export" -l since -d 'Only rows starting at or after WHEN (a UTC date 2024-01-31, or an RFC 3339 time)' -r
complete -c trove -n "__fish_trove_using_subcommand export" -l until -d 'Only rows starting before WHEN (a date covers that whole UTC day)' -r
complete -c trove -n "__fish_trove_using_subcommand export" -l format -d 'Output format' -r -f -a "jsonl\t'One JSON object per line, with a "record" field: sample, event or track_point'
csv\t'One CSV file; a "record" column says which kind of row each line is'"
complete -c trove -n "__fish_trove_using_subcommand export" -s o -l output -d 'Write to FILE (created 0600); - writes to stdout even when it is a terminal' -r -F
complete -c trove -n "__fish_trove_using_subcommand export" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand export" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand export" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand export" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand export" -l all -d 'Every metric and every kind'
complete -c trove -n "__fish_trove_using_subcommand export" -l track-points -d 'Also export the GPS track points of the exported events (location!)'
complete -c trove -n "__fish_trove_using_subcommand export" -l include-sensitive -d 'Also export events marked sensitive'
complete -c trove -n "__fish_trove_using_subcommand export" -l force -d 'Replace FILE if it exists'
complete -c trove -n "__fish_trove_using_subcommand export" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand export" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trove -n "__fish_trove_using_subcommand export" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand report" -s o -l output -d 'The HTML file to write (- for stdout)' -r -F
complete -c trove -n "__fish_trove_using_subcommand report" -l tz -d 'Time zone of the days in the report [default: this machine\'s zone]' -r
complete -c trove -n "__fish_trove_using_subcommand report" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand report" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand report" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand report" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand report" -l force -d 'Replace FILE even if it is not an earlier trove report'
complete -c trove -n "__fish_trove_using_subcommand report" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand report" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand report" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand report" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -f -a "list" -d 'List devices in the order `trove stats` prefers them, with sample counts'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -f -a "priority" -d 'Set (or clear) the priority of a device: lower wins when devices overlap'
complete -c trove -n "__fish_trove_using_subcommand device; and not __fish_seen_subcommand_from list priority help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l source -d 'Only the device of this name in this source (importer id)' -r
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l clear -d 'Remove the stored priority'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from priority" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "list" -d 'List devices in the order `trove stats` prefers them, with sample counts'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "priority" -d 'Set (or clear) the priority of a device: lower wins when devices overlap'
complete -c trove -n "__fish_trove_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -f -a "list" -d 'List the key slots'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -f -a "add" -d 'Add an x25519 key slot for an age recipient (for unattended scripts)'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -f -a "passwd" -d 'Change the passphrase (rewrites only the passphrase slot)'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -f -a "remove" -d 'Remove a key slot (never the last one)'
complete -c trove -n "__fish_trove_using_subcommand key; and not __fish_seen_subcommand_from list add passwd remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l recipient -d 'The age recipient (age1…) whose identity will open the slot' -r
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l name -d 'A name for the slot (a-z, 0-9, - and _)' -r
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l new-passphrase-file -d 'Read the new passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the key slots'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an x25519 key slot for an age recipient (for unattended scripts)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Change the passphrase (rewrites only the passphrase slot)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a key slot (never the last one)'
complete -c trove -n "__fish_trove_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand completions" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand completions" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand completions" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand completions" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand completions" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand completions" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand completions" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "init" -d 'Create a new encrypted vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "status" -d 'Show what the vault holds: sources, counts, coverage, recent imports and errors'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "check" -d 'Check that the vault is encrypted and intact'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "import" -d 'Import exports (zip, folder or file); the importer is recognized from the contents'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "sources" -d 'List the importers and how to get each export'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "metrics" -d 'List the metric catalog with counts in this vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "query" -d 'Run read-only SQL over the vault and its documented views'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "stats" -d 'Statistics of a metric per day, week or month, with devices de-duplicated'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "timeline" -d 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "export" -d 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "report" -d 'Write a self-contained HTML report: coverage, metrics, what was shared'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "device" -d 'The devices that recorded data, and their priority when they overlap'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "key" -d 'Manage the key slots that unlock the vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "completions" -d 'Print shell completions'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sources metrics query stats timeline export report device key completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "list" -d 'List devices in the order `trove stats` prefers them, with sample counts'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "priority" -d 'Set (or clear) the priority of a device: lower wins when devices overlap'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the key slots'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "add" -d 'Add an x25519 key slot for an age recipient (for unattended scripts)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "passwd" -d 'Change the passphrase (rewrites only the passphrase slot)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "remove" -d 'Remove a key slot (never the last one)'
