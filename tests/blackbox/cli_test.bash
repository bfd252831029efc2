# The command line itself: help, version, unknown commands and options,
# --json, colour and -q.
#
# usage: bash cli_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bb_init "$@"

# The version the binary reports, for the first line of --help.
version_of_binary() {
    run_ccmcp --version
    local line
    line=$(stdout_text)
    [[ $line =~ ^cc-mcp\ ([0-9]+\.[0-9]+\.[0-9]+)$ ]] || fatal "--version printed: $line"
    echo "${BASH_REMATCH[1]}"
}

expect_top_help() {
    expect_stdout <<EOF
cc-mcp $1: run MCP servers in hardened Docker containers

Usage: cc-mcp [OPTIONS] COMMAND [ARGS...]

Servers:
  list                     list the servers of mcp.json: mode, enabled, what runs
  enable NAME...           enable servers in mcp.json (--mode switches how they run)
  disable NAME...          disable servers; they stay in mcp.json, marked disabled

Running:
  start [NAME...|--all]    run servers: build the image if missing, then the container
  restart [NAME...|--all]  stop servers and start them again (recreated if changed)
  stop [NAME...|--all]     stop servers (their containers stay, for start)
  rm [NAME...|--all]       remove servers' containers (images, volumes and ports stay)
  status [NAME...]         state, cpu, memory, url, version, uptime of servers (--deep)
  logs NAME [-f]           a server's output (--tail N, --since TIME, --timestamps)
  audit NAME [-f]          the tool calls a server answered (--since TIME, -n N, --json)

Config:
  config validate          check mcp.json and list every problem; exit 1 if there is any
  config show [NAME]       print the effective config: paths resolved, defaults filled in

Secrets:
  secret set NAME KEY      store a secret (typed without echo, or from stdin)
  secret list [NAME]       the stored secrets' names (never their values)
  secret rm NAME KEY       remove a stored secret

Images:
  build NAME...            build images whose inputs changed (--all, --no-cache)
  rebuild NAME...          build images again: versions resolved anew, no cache (--all)
  images [NAME...]         list servers' images: version, commit, created, size, current

Testing:
  test NAME...             test in a throw-away hardened container: MCP, tools, security (--image)

Updates:
  check-updates [NAME...]  each source's latest version against the server's image
  update NAME...|--due     build and test the latest version, then switch to it; undone on failure
  update-all               update every enabled server that has a source
  rollback NAME            back to the previous version, or --to VERSION, on the same port
  history NAME             every update and rollback of a server, and the images kept
  schedule install         run update --due every 15 minutes (systemd or cron)
  schedule remove          remove that timer
  schedule status          whether the timer is there, and what it runs

Marketplace:
  search QUERY             find MCP servers in the catalogs (name, title, description, keywords)
  info NAME[@VERSION]      a package: source, versions, what it needs, permissions, its mcp.json entry
  install NAME[@VERSION]   build, test and add a catalog's server to mcp.json (--test, --start)
  uninstall NAME           stop and remove a server and its mcp.json entry (--purge: images too)
  catalog add NAME DIR     add a folder of package files (or --registry URL) as a catalog
  catalog remove NAME      forget a catalog (its folder stays)
  catalog list             the catalogs, their packages, the age of a registry's cache
  catalog refresh [NAME]   read registries (cached for an hour) and git catalogs anew

Clients:
  client CLIENT [--write]  a client's MCP config for the running servers, printed or written
  connect NAME             serve a running server over stdio (for Claude Desktop)

Options:
  --config FILE   use this mcp.json (else \$CC_MCP_CONFIG, ./mcp.json,
                  \$CC_MCP_HOME/mcp.json; CC_MCP_HOME defaults to ~/.cc-mcp)
  --json          print JSON for scripts
  --no-color      no colour (also when NO_COLOR is set or output is not a terminal)
  -q, --quiet     no warnings or notes on stderr (errors and results still print)
  -v, --verbose   say more
  -h, --help      show this help; COMMAND --help shows a command's own
  --version       print the version
EOF
}

# One server with an unknown key (a warning) and one disabled.
write_config_with_warning() {
    write mcp.json <<'EOF'
{
  "mcpServers": {
    "a": { "command": "npx", "colour": "red" },
    "b": { "command": "uvx", "disabled": true }
  }
}
EOF
}

case_help_lists_the_commands_in_groups() {
    local version
    version=$(version_of_binary)
    for flag in --help -h; do
        run_ccmcp $flag
        expect_exit 0
        expect_top_help "$version"
        expect_no_stderr
    done
}

case_no_command_prints_help() {
    local version
    version=$(version_of_binary)
    run_ccmcp
    expect_exit 0
    expect_top_help "$version"
    expect_no_stderr
}

case_version() {
    run_ccmcp --version
    expect_exit 0
    expect_no_stderr
    [[ $(stdout_text) =~ ^cc-mcp\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed: $(stdout_text)"
    [ "$(wc -l <"$BB_ROOT/out/stdout")" -eq 1 ] || fail "--version printed more than one line"
}

case_command_help() {
    run_ccmcp enable --help
    expect_exit 0
    expect_no_stderr
    expect_stdout <<'EOF'
Usage: cc-mcp enable NAME...

enable servers in mcp.json (--mode switches how they run)

Edits mcp.json in place under a lock: comments, order and layout are kept, and the
previous content is saved as mcp.json.bak.

Options:
  --mode docker|external  run as docker or external

Global options (--config, --json, --no-color, -q, -v) work here too.
EOF
    run_ccmcp config validate --help
    expect_exit 0
    expect_stdout <<'EOF'
Usage: cc-mcp config validate

check mcp.json and list every problem; exit 1 if there is any

Each problem is reported as FILE:LINE:COLUMN: KEY.PATH: PROBLEM (HINT).
Unknown keys are warnings, which do not fail the check.

Global options (--config, --json, --no-color, -q, -v) work here too.
EOF
}

case_group_word_alone_lists_its_commands() {
    run_ccmcp config
    expect_exit 2
    expect_no_stderr
    expect_stdout_line "  config validate     check mcp.json and list every problem; exit 1 if there is any"
    expect_stdout_line "  config show [NAME]  print the effective config: paths resolved, defaults filled in"
    if grep -q '^  list' "$BB_ROOT/out/stdout"; then fail "cc-mcp config lists other groups' commands"; fi
}

case_unknown_command_suggests_the_nearest() {
    write_config_with_warning
    snapshot mcp.json
    run_ccmcp lst
    expect_exit 2
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "lst": unknown command (did you mean "list"? see cc-mcp --help)'
    run_ccmcp frobnicate
    expect_exit 2
    expect_stderr 'cc-mcp: error: "frobnicate": unknown command (see cc-mcp --help)'
    run_ccmcp disabel a
    expect_exit 2
    expect_stderr 'cc-mcp: error: "disabel": unknown command (did you mean "disable"? see cc-mcp --help)'
    expect_unchanged mcp.json
}

case_unknown_config_command() {
    run_ccmcp config valdate
    expect_exit 2
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "valdate": unknown config command (did you mean "validate"? see cc-mcp config --help)'
    run_ccmcp config shwo x
    expect_exit 2
    expect_stderr 'cc-mcp: error: "shwo": unknown config command (did you mean "show"? see cc-mcp config --help)'
}

case_unknown_option() {
    run_ccmcp --bogus
    expect_exit 2
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "--bogus": unknown option (see cc-mcp --help)'
    run_ccmcp list --bogus
    expect_exit 2
    expect_stderr 'cc-mcp: error: "--bogus": unknown option (see cc-mcp list --help)'
    run_ccmcp disable -x a
    expect_exit 2
    expect_stderr 'cc-mcp: error: "-x": unknown option (see cc-mcp disable --help)'
    run_ccmcp list extra
    expect_exit 2
    expect_stderr 'cc-mcp: error: "extra": unexpected argument (see cc-mcp list --help)'
    run_ccmcp config show a b
    expect_exit 2
    expect_stderr 'cc-mcp: error: "b": unexpected argument (see cc-mcp config show --help)'
}

case_option_without_its_value() {
    write_config_with_warning
    snapshot mcp.json
    run_ccmcp list --config
    expect_exit 2
    expect_no_stdout
    expect_stderr 'cc-mcp: error: --config: needs a file name (e.g. --config ./mcp.json)'
    # "--config=" must not take the next word as the file name.
    run_ccmcp --config= list
    expect_exit 2
    expect_no_stdout
    expect_stderr 'cc-mcp: error: --config: needs a file name (e.g. --config ./mcp.json)'
    run_ccmcp --config '' list
    expect_exit 2
    expect_stderr 'cc-mcp: error: --config: needs a file name (e.g. --config ./mcp.json)'
    run_ccmcp enable a --mode
    expect_exit 2
    expect_stderr 'cc-mcp: error: --mode: needs a value (see cc-mcp enable --help)'
    run_ccmcp enable a --mode dokcer
    expect_exit 2
    expect_stderr 'cc-mcp: error: --mode: "dokcer" is not a mode (use docker or external)'
    run_ccmcp disable
    expect_exit 2
    expect_stderr 'cc-mcp: error: cc-mcp disable: needs a server name (e.g. cc-mcp disable filesystem)'
    expect_unchanged mcp.json
}

case_json_output_parses() {
    write_config_with_warning
    local args
    while IFS='|' read -r code args; do
        # shellcheck disable=SC2086
        run_ccmcp --json $args
        expect_exit "$code"
        expect_json
    done <<'EOF'
0|--version
0|list
0|config validate
0|config show
0|config show a
0|disable a
0|enable a
1|config show nosuch
1|list --config missing.json
2|lst
2|list --bogus
EOF
    run_ccmcp --json list
    [ "$(json_value '(d["config"], d["servers"])')" = "('$tmp/mcp.json', [{'name': 'a', 'mode': 'external', 'enabled': True, 'origin': 'npx'}, {'name': 'b', 'mode': 'external', 'enabled': False, 'origin': 'uvx'}])" ] ||
        fail "list --json: $(stdout_text)"
    run_ccmcp --json lst
    [ "$(json_value 'd["error"]["message"]')" = '"lst": unknown command (did you mean "list"? see cc-mcp --help)' ] ||
        fail "--json lst: the JSON error is $(stdout_text)"
}

case_json_error_for_an_invalid_config() {
    write mcp.json <<'EOF'
{ "mcpServers": { "a": { "command": "npx", "limits": { "memory": "512x" } } } }
EOF
    run_ccmcp list --json
    expect_exit 1
    expect_json
    expect_stderr 'cc-mcp: error: mcp.json:1:66: mcpServers.a.limits.memory: "512x" is not a size (use e.g. 512m or 1g)'
    expect_stdout <<'EOF'
{
  "error": {
    "kind": "config",
    "message": "mcp.json: has 1 error (fix them, then run cc-mcp config validate)",
    "diagnostics": [
      "mcp.json:1:66: mcpServers.a.limits.memory: \"512x\" is not a size (use e.g. 512m or 1g)"
    ]
  }
}
EOF
}

# run_on_terminal FLAG [VAR=VALUE...]: list and a failing validate under a
# pseudo-terminal (script(1)), since colour only goes to a terminal.
run_on_terminal() {
    local flag=$1
    shift
    env -i PATH="$BB_PATH" HOME="$tmp" CC_MCP_HOME="$tmp/home" "$@" script -qec \
        "$BB_BIN $flag list; $BB_BIN $flag config validate --config bad.json" /dev/null \
        >"$BB_ROOT/out/stdout" 2>"$BB_ROOT/out/stderr"
    BB_LAST="cc-mcp $flag list, config validate on a terminal ($*)"
}

case_no_color() {
    command -v script >/dev/null || fatal "script(1) is needed for this case"
    write_config_with_warning
    write bad.json <<<'{ "mcpServers": { "a": { "command": 5 } } }'
    run_on_terminal ""
    grep -q $'\033\\[' "$BB_ROOT/out/stdout" ||
        fail "no colour on a terminal without --no-color; the case proves nothing"
    run_on_terminal --no-color
    expect_no_escapes
    grep -q '^cc-mcp: error: bad.json:1:37: mcpServers.a.command: must be a string' "$BB_ROOT/out/stdout" ||
        fail "the terminal did not show the error: $(stdout_text)"
    run_on_terminal "" NO_COLOR=1
    expect_no_escapes
    run_on_terminal "" TERM=dumb
    expect_no_escapes
    # Not a terminal.
    run_ccmcp_colored config validate --config bad.json
    expect_no_escapes
}

case_quiet_silences_warnings_not_errors() {
    write_config_with_warning
    run_ccmcp config validate
    expect_exit 0
    expect_stderr 'cc-mcp: warning: mcp.json:3:30: mcpServers.a.colour: unknown key "colour" (ignored)'
    run_ccmcp -q config validate
    expect_exit 0
    expect_no_stderr
    run_ccmcp list
    expect_stdout <<'EOF'
NAME  MODE      ENABLED  RUNS
a     external  yes      npx
b     external  no       uvx
2 servers, 1 enabled (mcp.json)
EOF
    run_ccmcp list --quiet
    expect_exit 0
    expect_no_stderr
    expect_stdout <<'EOF'
NAME  MODE      ENABLED  RUNS
a     external  yes      npx
b     external  no       uvx
EOF
    run_ccmcp -q config show nosuch
    expect_exit 1
    expect_stderr 'cc-mcp: error: "nosuch": no such server in mcp.json (cc-mcp list shows the servers)'
}

case_global_options_anywhere() {
    write_config_with_warning
    write other/mcp.json <<'EOF'
{ "mcpServers": { "z": { "command": "z" } } }
EOF
    for args in "--config other/mcp.json --json list" "list --json --config other/mcp.json" \
        "--json list --config=other/mcp.json"; do
        # shellcheck disable=SC2086
        run_ccmcp $args
        expect_exit 0
        [ "$(json_value 'd["servers"][0]["name"]')" = z ] || fail "$args did not list other/mcp.json"
    done
}

run_cases
