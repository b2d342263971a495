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
complete -c trove -n "__fish_trove_needs_command" -f -a "sync" -d 'Pull new data from live sources (the Oura API, a TeslaMate database)'
complete -c trove -n "__fish_trove_needs_command" -f -a "sources" -d 'List the importers and how to get each export'
complete -c trove -n "__fish_trove_needs_command" -f -a "metrics" -d 'List the metric catalog with counts in this vault'
complete -c trove -n "__fish_trove_needs_command" -f -a "query" -d 'Run read-only SQL over the vault and its documented views'
complete -c trove -n "__fish_trove_needs_command" -f -a "stats" -d 'Statistics of a metric per day, week or month, with devices de-duplicated'
complete -c trove -n "__fish_trove_needs_command" -f -a "timeline" -d 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics'
complete -c trove -n "__fish_trove_needs_command" -f -a "export" -d 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)'
complete -c trove -n "__fish_trove_needs_command" -f -a "report" -d 'Write a self-contained HTML report: coverage, metrics, what was shared'
complete -c trove -n "__fish_trove_needs_command" -f -a "device" -d 'The devices that recorded data, and their priority when they overlap'
complete -c trove -n "__fish_trove_needs_command" -f -a "key" -d 'Manage the key slots that unlock the vault'
complete -c trove -n "__fish_trove_needs_command" -f -a "dao" -d 'Register and inspect the DataDAOs you may contribute to'
complete -c trove -n "__fish_trove_needs_command" -f -a "contribute" -d 'Select, redact, sign and encrypt a contribution to a DAO (preview it with --dry-run)'
complete -c trove -n "__fish_trove_needs_command" -f -a "audit" -d 'What you shared, with whom and when; check the ledger (--verify)'
complete -c trove -n "__fish_trove_needs_command" -f -a "verify" -d 'Check a contribution package: decryption, signature, hashes, counts, schema (no vault)'
complete -c trove -n "__fish_trove_needs_command" -f -a "submit" -d 'Upload a contribution package to its DAO\'s endpoint'
complete -c trove -n "__fish_trove_needs_command" -f -a "revoke" -d 'Write (and submit) a signed revocation notice for a contribution'
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
complete -c trove -n "__fish_trove_using_subcommand import" -l weight-unit -d 'The unit of weights in exports that do not say (Fitbit: your account\'s weight setting)' -r -f -a "kg\t''
lb\t''"
complete -c trove -n "__fish_trove_using_subcommand import" -l account -d 'File the rows under this account instead of the one the export names (useful for a single file taken out of an export)' -r
complete -c trove -n "__fish_trove_using_subcommand import" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand import" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand import" -l dry-run -d 'Read everything and report what would be added, without changing the vault'
complete -c trove -n "__fish_trove_using_subcommand import" -l strict -d 'Stop (and keep nothing of the file) at the first rejected record or unreadable file'
complete -c trove -n "__fish_trove_using_subcommand import" -l with-media -d 'Copy the photos and videos of an X archive into the (encrypted) vault; without it they are referenced by file name only'
complete -c trove -n "__fish_trove_using_subcommand import" -l keep-ip -d 'Keep the IP address columns of a Reddit export (dropped by default: they locate you)'
complete -c trove -n "__fish_trove_using_subcommand import" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand import" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand import" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand import" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -f -a "oura" -d 'Pull Oura API v2 data with a personal access token, incrementally'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -f -a "teslamate" -d 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)'
complete -c trove -n "__fish_trove_using_subcommand sync; and not __fish_seen_subcommand_from oura teslamate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l token-file -d 'Read the access token from the first line of FILE (- reads stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l since -d 'Fetch from DATE (YYYY-MM-DD) instead of where the last sync left off' -r
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l until -d 'Fetch up to DATE (YYYY-MM-DD) [default: today]' -r
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l collection -d 'Only this collection (repeatable) [default: all]' -r -f -a "daily_sleep\t''
sleep\t''
daily_readiness\t''
daily_activity\t''
daily_spo2\t''
daily_stress\t''
daily_resilience\t''
daily_cardiovascular_age\t''
vO2_max\t''
workout\t''
heartrate\t''"
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l api-base -d 'The API\'s address, for a proxy or a test server' -r
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l save-token -d 'Keep the token in the vault (encrypted) once Oura accepts it, for later syncs'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l forget-token -d 'Remove the token kept in the vault, and sync nothing'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from oura" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l url -d 'The database, without a password: postgres://USER@HOST:PORT/DBNAME (e.g. postgres://teslamate@127.0.0.1:5432/teslamate)' -r
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l password-file -d 'Read the database password from the first line of FILE (- for stdin); otherwise PGPASSWORD is used' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l full -d 'Ignore what earlier syncs read and read everything again'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l dry-run -d 'Read everything and report what would be added, without changing the vault'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from teslamate" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "oura" -d 'Pull Oura API v2 data with a personal access token, incrementally'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "teslamate" -d 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)'
complete -c trove -n "__fish_trove_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "add" -d 'Register a DAO: its age recipients, endpoint and request file'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "list" -d 'List the registered DAOs'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "show" -d 'Show one DAO, with what its request asks for and requires'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "remove" -d 'Remove a DAO (the ledger keeps the contributions made to it)'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "keygen" -d 'Generate a DAO key pair (an age identity) for DAO operators'
complete -c trove -n "__fish_trove_using_subcommand dao; and not __fish_seen_subcommand_from add list show remove keygen help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l recipient -d 'An age recipient (age1…) the DAO decrypts with; repeat for several' -r
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l endpoint -d 'The DAO\'s upload endpoint (https://…)' -r
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l request -d 'The DAO\'s request file: what it wants, which redactions it requires, consent text' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -s o -l output -d 'Write the identity to FILE' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from keygen" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a DAO: its age recipients, endpoint and request file'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the registered DAOs'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one DAO, with what its request asks for and requires'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a DAO (the ledger keeps the contributions made to it)'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "keygen" -d 'Generate a DAO key pair (an age identity) for DAO operators'
complete -c trove -n "__fish_trove_using_subcommand dao; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand contribute" -l dao -d 'The DAO to contribute to (see `trove dao list`)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l metric -d 'Include samples of METRIC (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l kind -d 'Include events of KIND (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l source -d 'Only rows from these importers (repeatable, or comma-separated)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l since -d 'Only rows starting at or after WHEN (a UTC date 2024-01-31, or an RFC 3339 time)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l until -d 'Only rows starting before WHEN (a date covers that whole UTC day)' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -l redact -d 'Leave a sensitive class out (location and identifiers are left out by default)' -r -f -a "location\t'Track points and coordinates anywhere'
text\t'Free text (titles, bodies)'
identifiers\t'Device names, account names, the source\'s own ids'
sensitive\t'Events their importer marked sensitive'"
complete -c trove -n "__fish_trove_using_subcommand contribute" -l include -d 'Include a sensitive class that is left out (or scrubbed) by default' -r -f -a "location\t'Track points and coordinates anywhere'
text\t'Free text (titles, bodies)'
identifiers\t'Device names, account names, the source\'s own ids'
sensitive\t'Events their importer marked sensitive'"
complete -c trove -n "__fish_trove_using_subcommand contribute" -l time-precision -d 'Coarsen all times to this precision' -r -f -a "exact\t''
minute\t''
hour\t''
day\t''"
complete -c trove -n "__fish_trove_using_subcommand contribute" -l format -d 'Data file format' -r -f -a "jsonl\t''
csv\t''"
complete -c trove -n "__fish_trove_using_subcommand contribute" -l examples -d 'How many redacted example rows per file the preview shows' -r
complete -c trove -n "__fish_trove_using_subcommand contribute" -s o -l output -d 'Write the package to FILE (- for stdout)' -r -F
complete -c trove -n "__fish_trove_using_subcommand contribute" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand contribute" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand contribute" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand contribute" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand contribute" -l scrub-pii -d 'Keep free text but replace emails, phone numbers, handles, URLs and addresses (default)'
complete -c trove -n "__fish_trove_using_subcommand contribute" -l pseudonymize -d 'Replace device and account names (and source ids) by pseudonyms keyed for this DAO'
complete -c trove -n "__fish_trove_using_subcommand contribute" -l dry-run -d 'Show the preview and privacy report; write nothing'
complete -c trove -n "__fish_trove_using_subcommand contribute" -l accept-consent -d 'Accept the consent text of the DAO\'s request (read it with `trove dao show`)'
complete -c trove -n "__fish_trove_using_subcommand contribute" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand contribute" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand contribute" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trove -n "__fish_trove_using_subcommand contribute" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l dao -d 'Only contributions to this DAO' -r
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l row -d 'The contributions that included this row (TABLE:ID, e.g. samples:42)' -r
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l verify -d 'Check the ledger\'s hash chain and its agreement with the recorded contributions'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Show one contribution in detail (and reopen its package with --reopen)'
complete -c trove -n "__fish_trove_using_subcommand audit; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l reopen -d 'Reopen and verify the package file'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one contribution in detail (and reopen its package with --reopen)'
complete -c trove -n "__fish_trove_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand verify" -l signer -d 'Require this signer (a minisign public key, RW…)' -r
complete -c trove -n "__fish_trove_using_subcommand verify" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand verify" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand verify" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand verify" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand verify" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand verify" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand verify" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand verify" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand submit" -l dao -d 'The DAO (checked against the DAO the package was made for)' -r
complete -c trove -n "__fish_trove_using_subcommand submit" -l token-file -d 'Read the DAO\'s bearer token from the first line of FILE' -r -F
complete -c trove -n "__fish_trove_using_subcommand submit" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand submit" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand submit" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand submit" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand submit" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand submit" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand submit" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand submit" -s V -l version -d 'Print version'
complete -c trove -n "__fish_trove_using_subcommand revoke" -l reason -d 'Why (included in the notice)' -r
complete -c trove -n "__fish_trove_using_subcommand revoke" -s o -l output -d 'Write the notice to FILE [default: revocation-<id>.json]' -r -F
complete -c trove -n "__fish_trove_using_subcommand revoke" -l token-file -d 'Read the DAO\'s bearer token from the first line of FILE' -r -F
complete -c trove -n "__fish_trove_using_subcommand revoke" -l vault -d 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]' -r -F
complete -c trove -n "__fish_trove_using_subcommand revoke" -l identity -d 'Unlock with an age identity file matching one of the vault\'s x25519 key slots' -r -F
complete -c trove -n "__fish_trove_using_subcommand revoke" -l passphrase-file -d 'Read the passphrase from the first line of FILE (- for stdin)' -r -F
complete -c trove -n "__fish_trove_using_subcommand revoke" -l color -d 'When to use colour on stderr (NO_COLOR turns `auto` off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c trove -n "__fish_trove_using_subcommand revoke" -l no-submit -d 'Do not send the notice to the DAO\'s endpoint'
complete -c trove -n "__fish_trove_using_subcommand revoke" -l json -d 'Print machine-readable JSON on stdout'
complete -c trove -n "__fish_trove_using_subcommand revoke" -s q -l quiet -d 'Hide status output (warnings and errors are still printed)'
complete -c trove -n "__fish_trove_using_subcommand revoke" -s h -l help -d 'Print help'
complete -c trove -n "__fish_trove_using_subcommand revoke" -s V -l version -d 'Print version'
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
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "init" -d 'Create a new encrypted vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "status" -d 'Show what the vault holds: sources, counts, coverage, recent imports and errors'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "check" -d 'Check that the vault is encrypted and intact'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "import" -d 'Import exports (zip, folder or file); the importer is recognized from the contents'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "sync" -d 'Pull new data from live sources (the Oura API, a TeslaMate database)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "sources" -d 'List the importers and how to get each export'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "metrics" -d 'List the metric catalog with counts in this vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "query" -d 'Run read-only SQL over the vault and its documented views'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "stats" -d 'Statistics of a metric per day, week or month, with devices de-duplicated'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "timeline" -d 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "export" -d 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "report" -d 'Write a self-contained HTML report: coverage, metrics, what was shared'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "device" -d 'The devices that recorded data, and their priority when they overlap'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "key" -d 'Manage the key slots that unlock the vault'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "dao" -d 'Register and inspect the DataDAOs you may contribute to'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "contribute" -d 'Select, redact, sign and encrypt a contribution to a DAO (preview it with --dry-run)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "audit" -d 'What you shared, with whom and when; check the ledger (--verify)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "verify" -d 'Check a contribution package: decryption, signature, hashes, counts, schema (no vault)'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "submit" -d 'Upload a contribution package to its DAO\'s endpoint'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "revoke" -d 'Write (and submit) a signed revocation notice for a contribution'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "completions" -d 'Print shell completions'
complete -c trove -n "__fish_trove_using_subcommand help; and not __fish_seen_subcommand_from init status check import sync sources metrics query stats timeline export report device key dao contribute audit verify submit revoke completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from sync" -f -a "oura" -d 'Pull Oura API v2 data with a personal access token, incrementally'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from sync" -f -a "teslamate" -d 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "list" -d 'List devices in the order `trove stats` prefers them, with sample counts'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "priority" -d 'Set (or clear) the priority of a device: lower wins when devices overlap'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the key slots'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "add" -d 'Add an x25519 key slot for an age recipient (for unattended scripts)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "passwd" -d 'Change the passphrase (rewrites only the passphrase slot)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "remove" -d 'Remove a key slot (never the last one)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from dao" -f -a "add" -d 'Register a DAO: its age recipients, endpoint and request file'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from dao" -f -a "list" -d 'List the registered DAOs'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from dao" -f -a "show" -d 'Show one DAO, with what its request asks for and requires'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from dao" -f -a "remove" -d 'Remove a DAO (the ledger keeps the contributions made to it)'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from dao" -f -a "keygen" -d 'Generate a DAO key pair (an age identity) for DAO operators'
complete -c trove -n "__fish_trove_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "show" -d 'Show one contribution in detail (and reopen its package with --reopen)'
