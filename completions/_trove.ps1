
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'trove' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'trove'
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
        'trove' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new encrypted vault')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what the vault holds: sources, counts, coverage, recent imports and errors')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that the vault is encrypted and intact')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import exports (zip, folder or file); the importer is recognized from the contents')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Pull new data from live sources (the Oura API, a TeslaMate database)')
            [CompletionResult]::new('sources', 'sources', [CompletionResultType]::ParameterValue, 'List the importers and how to get each export')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'List the metric catalog with counts in this vault')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run read-only SQL over the vault and its documented views')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Statistics of a metric per day, week or month, with devices de-duplicated')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write a self-contained HTML report: coverage, metrics, what was shared')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'The devices that recorded data, and their priority when they overlap')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage the key slots that unlock the vault')
            [CompletionResult]::new('dao', 'dao', [CompletionResultType]::ParameterValue, 'Register and inspect the DataDAOs you may contribute to')
            [CompletionResult]::new('contribute', 'contribute', [CompletionResultType]::ParameterValue, 'Select, redact, sign and encrypt a contribution to a DAO (preview it with --dry-run)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'What you shared, with whom and when; check the ledger (--verify)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a contribution package: decryption, signature, hashes, counts, schema (no vault)')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Upload a contribution package to its DAO''s endpoint')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Write (and submit) a signed revocation notice for a contribution')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;init' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;status' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;check' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;import' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Use this importer instead of recognizing the input (ids: `trove sources`)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone for exports whose local times carry no offset (e.g. Europe/Berlin)')
            [CompletionResult]::new('--weight-unit', '--weight-unit', [CompletionResultType]::ParameterName, 'The unit of weights in exports that do not say (Fitbit: your account''s weight setting)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'File the rows under this account instead of the one the export names (useful for a single file taken out of an export)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read everything and report what would be added, without changing the vault')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop (and keep nothing of the file) at the first rejected record or unreadable file')
            [CompletionResult]::new('--with-media', '--with-media', [CompletionResultType]::ParameterName, 'Copy the photos and videos of an X archive into the (encrypted) vault; without it they are referenced by file name only')
            [CompletionResult]::new('--keep-ip', '--keep-ip', [CompletionResultType]::ParameterName, 'Keep the IP address columns of a Reddit export (dropped by default: they locate you)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;sync' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('oura', 'oura', [CompletionResultType]::ParameterValue, 'Pull Oura API v2 data with a personal access token, incrementally')
            [CompletionResult]::new('teslamate', 'teslamate', [CompletionResultType]::ParameterValue, 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;sync;oura' {
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the access token from the first line of FILE (- reads stdin)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Fetch from DATE (YYYY-MM-DD) instead of where the last sync left off')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Fetch up to DATE (YYYY-MM-DD) [default: today]')
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'Only this collection (repeatable) [default: all]')
            [CompletionResult]::new('--api-base', '--api-base', [CompletionResultType]::ParameterName, 'The API''s address, for a proxy or a test server')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--save-token', '--save-token', [CompletionResultType]::ParameterName, 'Keep the token in the vault (encrypted) once Oura accepts it, for later syncs')
            [CompletionResult]::new('--forget-token', '--forget-token', [CompletionResultType]::ParameterName, 'Remove the token kept in the vault, and sync nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;sync;teslamate' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The database, without a password: postgres://USER@HOST:PORT/DBNAME (e.g. postgres://teslamate@127.0.0.1:5432/teslamate)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the database password from the first line of FILE (- for stdin); otherwise PGPASSWORD is used')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Ignore what earlier syncs read and read everything again')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read everything and report what would be added, without changing the vault')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;sync;help' {
            [CompletionResult]::new('oura', 'oura', [CompletionResultType]::ParameterValue, 'Pull Oura API v2 data with a personal access token, incrementally')
            [CompletionResult]::new('teslamate', 'teslamate', [CompletionResultType]::ParameterValue, 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;sync;help;oura' {
            break
        }
        'trove;sync;help;teslamate' {
            break
        }
        'trove;sync;help;help' {
            break
        }
        'trove;sources' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;metrics' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--present', '--present', [CompletionResultType]::ParameterName, 'Only metrics the vault has samples of')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;query' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (--json means json)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of local_time(), local_date() and the views'' local days [default: this machine''s zone]')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'List the views and tables with their columns instead of running a query')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;stats' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this local date (2024-01-31) or RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Up to this local date (inclusive) or RFC 3339 time (exclusive)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Only samples from this device (repeatable; `trove device list`)')
            [CompletionResult]::new('--prefer-device', '--prefer-device', [CompletionResultType]::ParameterName, 'Rank this device first for this query (repeatable, in order of preference)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone whose calendar days are used [default: this machine''s zone]')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Draw a chart under the numbers (auto: when stdout is a terminal)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--daily', '--daily', [CompletionResultType]::ParameterName, 'One row per local day (the default)')
            [CompletionResult]::new('--weekly', '--weekly', [CompletionResultType]::ParameterName, 'One row per ISO week (Monday to Sunday)')
            [CompletionResult]::new('--monthly', '--monthly', [CompletionResultType]::ParameterName, 'One row per calendar month')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;timeline' {
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone whose calendar day is shown [default: this machine''s zone]')
            [CompletionResult]::new('--run-limit', '--run-limit', [CompletionResultType]::ParameterName, 'In the human output, show at most N consecutive entries of one kind (0: all)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--all-metrics', '--all-metrics', [CompletionResultType]::ParameterName, 'Show every metric with data that day, not only the key ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;export' {
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'Include samples of METRIC (repeatable, or comma-separated)')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Include events of KIND (repeatable, or comma-separated)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only rows from these importers (repeatable, or comma-separated)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only rows starting at or after WHEN (a UTC date 2024-01-31, or an RFC 3339 time)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only rows starting before WHEN (a date covers that whole UTC day)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (created 0600); - writes to stdout even when it is a terminal')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (created 0600); - writes to stdout even when it is a terminal')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every metric and every kind')
            [CompletionResult]::new('--track-points', '--track-points', [CompletionResultType]::ParameterName, 'Also export the GPS track points of the exported events (location!)')
            [CompletionResult]::new('--include-sensitive', '--include-sensitive', [CompletionResultType]::ParameterName, 'Also export events marked sensitive')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;report' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The HTML file to write (- for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The HTML file to write (- for stdout)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of the days in the report [default: this machine''s zone]')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE even if it is not an earlier trove report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;device' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices in the order `trove stats` prefers them, with sample counts')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Set (or clear) the priority of a device: lower wins when devices overlap')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;device;list' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;device;priority' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only the device of this name in this source (importer id)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove the stored priority')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;device;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices in the order `trove stats` prefers them, with sample counts')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Set (or clear) the priority of a device: lower wins when devices overlap')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;device;help;list' {
            break
        }
        'trove;device;help;priority' {
            break
        }
        'trove;device;help;help' {
            break
        }
        'trove;key' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an x25519 key slot for an age recipient (for unattended scripts)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase (rewrites only the passphrase slot)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot (never the last one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;key;list' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;key;add' {
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'The age recipient (age1…) whose identity will open the slot')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A name for the slot (a-z, 0-9, - and _)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;key;passwd' {
            [CompletionResult]::new('--new-passphrase-file', '--new-passphrase-file', [CompletionResultType]::ParameterName, 'Read the new passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;key;remove' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;key;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an x25519 key slot for an age recipient (for unattended scripts)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase (rewrites only the passphrase slot)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot (never the last one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;key;help;list' {
            break
        }
        'trove;key;help;add' {
            break
        }
        'trove;key;help;passwd' {
            break
        }
        'trove;key;help;remove' {
            break
        }
        'trove;key;help;help' {
            break
        }
        'trove;dao' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a DAO: its age recipients, endpoint and request file')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered DAOs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one DAO, with what its request asks for and requires')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a DAO (the ledger keeps the contributions made to it)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a DAO key pair (an age identity) for DAO operators')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;dao;add' {
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'An age recipient (age1…) the DAO decrypts with; repeat for several')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The DAO''s upload endpoint (https://…)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'The DAO''s request file: what it wants, which redactions it requires, consent text')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;dao;list' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;dao;show' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;dao;remove' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;dao;keygen' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the identity to FILE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the identity to FILE')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;dao;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a DAO: its age recipients, endpoint and request file')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered DAOs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one DAO, with what its request asks for and requires')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a DAO (the ledger keeps the contributions made to it)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a DAO key pair (an age identity) for DAO operators')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;dao;help;add' {
            break
        }
        'trove;dao;help;list' {
            break
        }
        'trove;dao;help;show' {
            break
        }
        'trove;dao;help;remove' {
            break
        }
        'trove;dao;help;keygen' {
            break
        }
        'trove;dao;help;help' {
            break
        }
        'trove;contribute' {
            [CompletionResult]::new('--dao', '--dao', [CompletionResultType]::ParameterName, 'The DAO to contribute to (see `trove dao list`)')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'Include samples of METRIC (repeatable, or comma-separated)')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Include events of KIND (repeatable, or comma-separated)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only rows from these importers (repeatable, or comma-separated)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only rows starting at or after WHEN (a UTC date 2024-01-31, or an RFC 3339 time)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only rows starting before WHEN (a date covers that whole UTC day)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Leave a sensitive class out (location and identifiers are left out by default)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Include a sensitive class that is left out (or scrubbed) by default')
            [CompletionResult]::new('--time-precision', '--time-precision', [CompletionResultType]::ParameterName, 'Coarsen all times to this precision')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Data file format')
            [CompletionResult]::new('--examples', '--examples', [CompletionResultType]::ParameterName, 'How many redacted example rows per file the preview shows')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the package to FILE (- for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the package to FILE (- for stdout)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--scrub-pii', '--scrub-pii', [CompletionResultType]::ParameterName, 'Keep free text but replace emails, phone numbers, handles, URLs and addresses (default)')
            [CompletionResult]::new('--pseudonymize', '--pseudonymize', [CompletionResultType]::ParameterName, 'Replace device and account names (and source ids) by pseudonyms keyed for this DAO')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the preview and privacy report; write nothing')
            [CompletionResult]::new('--accept-consent', '--accept-consent', [CompletionResultType]::ParameterName, 'Accept the consent text of the DAO''s request (read it with `trove dao show`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;audit' {
            [CompletionResult]::new('--dao', '--dao', [CompletionResultType]::ParameterName, 'Only contributions to this DAO')
            [CompletionResult]::new('--row', '--row', [CompletionResultType]::ParameterName, 'The contributions that included this row (TABLE:ID, e.g. samples:42)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check the ledger''s hash chain and its agreement with the recorded contributions')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one contribution in detail (and reopen its package with --reopen)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;audit;show' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--reopen', '--reopen', [CompletionResultType]::ParameterName, 'Reopen and verify the package file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;audit;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one contribution in detail (and reopen its package with --reopen)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;audit;help;show' {
            break
        }
        'trove;audit;help;help' {
            break
        }
        'trove;verify' {
            [CompletionResult]::new('--signer', '--signer', [CompletionResultType]::ParameterName, 'Require this signer (a minisign public key, RW…)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;submit' {
            [CompletionResult]::new('--dao', '--dao', [CompletionResultType]::ParameterName, 'The DAO (checked against the DAO the package was made for)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the DAO''s bearer token from the first line of FILE')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;revoke' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (included in the notice)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the notice to FILE [default: revocation-<id>.json]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the notice to FILE [default: revocation-<id>.json]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the DAO''s bearer token from the first line of FILE')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--no-submit', '--no-submit', [CompletionResultType]::ParameterName, 'Do not send the notice to the DAO''s endpoint')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;completions' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Unlock with an age identity file matching one of the vault''s x25519 key slots')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of FILE (- for stdin)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr (NO_COLOR turns `auto` off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Hide status output (warnings and errors are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'trove;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new encrypted vault')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what the vault holds: sources, counts, coverage, recent imports and errors')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that the vault is encrypted and intact')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import exports (zip, folder or file); the importer is recognized from the contents')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Pull new data from live sources (the Oura API, a TeslaMate database)')
            [CompletionResult]::new('sources', 'sources', [CompletionResultType]::ParameterValue, 'List the importers and how to get each export')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'List the metric catalog with counts in this vault')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run read-only SQL over the vault and its documented views')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Statistics of a metric per day, week or month, with devices de-duplicated')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'One day in order: sleep, workouts, drives, posts, messages, with its key metrics')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a selection as plaintext CSV or JSON lines (recorded in the ledger)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write a self-contained HTML report: coverage, metrics, what was shared')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'The devices that recorded data, and their priority when they overlap')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage the key slots that unlock the vault')
            [CompletionResult]::new('dao', 'dao', [CompletionResultType]::ParameterValue, 'Register and inspect the DataDAOs you may contribute to')
            [CompletionResult]::new('contribute', 'contribute', [CompletionResultType]::ParameterValue, 'Select, redact, sign and encrypt a contribution to a DAO (preview it with --dry-run)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'What you shared, with whom and when; check the ledger (--verify)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a contribution package: decryption, signature, hashes, counts, schema (no vault)')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Upload a contribution package to its DAO''s endpoint')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Write (and submit) a signed revocation notice for a contribution')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'trove;help;init' {
            break
        }
        'trove;help;status' {
            break
        }
        'trove;help;check' {
            break
        }
        'trove;help;import' {
            break
        }
        'trove;help;sync' {
            [CompletionResult]::new('oura', 'oura', [CompletionResultType]::ParameterValue, 'Pull Oura API v2 data with a personal access token, incrementally')
            [CompletionResult]::new('teslamate', 'teslamate', [CompletionResultType]::ParameterValue, 'Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)')
            break
        }
        'trove;help;sync;oura' {
            break
        }
        'trove;help;sync;teslamate' {
            break
        }
        'trove;help;sources' {
            break
        }
        'trove;help;metrics' {
            break
        }
        'trove;help;query' {
            break
        }
        'trove;help;stats' {
            break
        }
        'trove;help;timeline' {
            break
        }
        'trove;help;export' {
            break
        }
        'trove;help;report' {
            break
        }
        'trove;help;device' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List devices in the order `trove stats` prefers them, with sample counts')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Set (or clear) the priority of a device: lower wins when devices overlap')
            break
        }
        'trove;help;device;list' {
            break
        }
        'trove;help;device;priority' {
            break
        }
        'trove;help;key' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an x25519 key slot for an age recipient (for unattended scripts)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase (rewrites only the passphrase slot)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot (never the last one)')
            break
        }
        'trove;help;key;list' {
            break
        }
        'trove;help;key;add' {
            break
        }
        'trove;help;key;passwd' {
            break
        }
        'trove;help;key;remove' {
            break
        }
        'trove;help;dao' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a DAO: its age recipients, endpoint and request file')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered DAOs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one DAO, with what its request asks for and requires')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a DAO (the ledger keeps the contributions made to it)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a DAO key pair (an age identity) for DAO operators')
            break
        }
        'trove;help;dao;add' {
            break
        }
        'trove;help;dao;list' {
            break
        }
        'trove;help;dao;show' {
            break
        }
        'trove;help;dao;remove' {
            break
        }
        'trove;help;dao;keygen' {
            break
        }
        'trove;help;contribute' {
            break
        }
        'trove;help;audit' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one contribution in detail (and reopen its package with --reopen)')
            break
        }
        'trove;help;audit;show' {
            break
        }
        'trove;help;verify' {
            break
        }
        'trove;help;submit' {
            break
        }
        'trove;help;revoke' {
            break
        }
        'trove;help;completions' {
            break
        }
        'trove;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
