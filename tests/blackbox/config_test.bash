# Finding mcp.json, and `config validate` on good and bad files
# (`config show` is in config_show_test.bash).
#
# usage: bash config_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bb_init "$@"
EXAMPLES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../examples" && pwd -P)

# server_file FILE NAME: an mcp.json with one external server NAME.
server_file() {
    write "$1" <<EOF
{ "mcpServers": { "$2": { "command": "$2-cmd" } } }
EOF
}

# expect_used DISPLAY NAME: the last `list` read the file shown as DISPLAY.
expect_used() {
    expect_exit 0
    expect_no_stderr
    expect_stdout <<EOF
NAME  MODE      ENABLED  RUNS
$2  external  yes      $2-cmd
1 server, 1 enabled ($1)
EOF
}

case_lookup_order() {
    server_file flag.json flag
    server_file env.json envv
    server_file mcp.json cwdd
    server_file home/mcp.json home
    run_ccmcp CC_MCP_CONFIG=env.json --config flag.json list
    expect_used flag.json flag
    run_ccmcp CC_MCP_CONFIG=env.json list
    expect_used env.json envv
    run_ccmcp list
    expect_used mcp.json cwdd
    rm mcp.json
    run_ccmcp list
    expect_used "$tmp/home/mcp.json" home
    # An empty $CC_MCP_CONFIG is not set; an empty $CC_MCP_HOME means ~/.cc-mcp.
    server_file .cc-mcp/mcp.json dflt
    run_ccmcp CC_MCP_CONFIG= CC_MCP_HOME= list
    expect_used "$tmp/.cc-mcp/mcp.json" dflt
}

case_named_file_does_not_fall_back() {
    server_file mcp.json cwdd
    run_ccmcp CC_MCP_CONFIG=missing.json list
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: missing.json: does not exist'
    run_ccmcp --config missing.json list
    expect_exit 1
    expect_stderr 'cc-mcp: error: missing.json: does not exist'
}

case_nothing_found() {
    run_ccmcp list
    expect_exit 1
    expect_no_stdout
    expect_stderr "cc-mcp: error: mcp.json: not found in this folder nor at $tmp/home/mcp.json (create one, or name it with --config FILE or \$CC_MCP_CONFIG)"
    run_ccmcp CC_MCP_HOME= config validate
    expect_exit 1
    expect_stderr "cc-mcp: error: mcp.json: not found in this folder nor at $tmp/.cc-mcp/mcp.json (create one, or name it with --config FILE or \$CC_MCP_CONFIG)"
    expect_files . # nothing was created
}

# The example as it is in the tree (others edit it: how many servers are
# enabled varies).
expect_example_summary() {
    [[ $(stdout_text) =~ ^✓\ mcp\.json:\ valid,\ 3\ servers\ \([0-3]\ enabled\)$1$ ]] ||
        fail "config validate on the example printed: $(stdout_text)"
}

case_validate_the_example() {
    cp "$EXAMPLES/mcp.json" mcp.json
    mkdir project
    snapshot mcp.json
    run_ccmcp config validate
    expect_exit 0
    expect_no_stderr
    expect_example_summary ""
    expect_unchanged mcp.json
    rmdir project
    run_ccmcp config validate
    expect_exit 0
    expect_stderr "cc-mcp: warning: mcp.json:7:20: mcpServers.filesystem.volumes[\"./project\"]: the host path \"$tmp/project\" does not exist (create it before starting the server)"
    expect_example_summary ", 1 warning"
    # In place, where ./project exists.
    snapshot "$EXAMPLES/mcp.json"
    run_ccmcp --config "$EXAMPLES/mcp.json" config validate
    expect_exit 0
    expect_no_stderr
    expect_unchanged "$EXAMPLES/mcp.json"
}

# expect_invalid LINE... < FILE: `config validate` on the file refuses it
# with exactly these stderr lines and leaves it as it was.
expect_invalid() {
    write bad.json
    snapshot bad.json
    run_ccmcp --config bad.json config validate
    expect_exit 1
    expect_no_stdout
    printf '%s\n' "$@" | expect_text stderr "$BB_ROOT/out/stderr"
    expect_unchanged bad.json
}

case_malformed_json() {
    expect_invalid \
        $'cc-mcp: error: bad.json:4:5: expected \',\' or \'}\' but found \'"\' (is a comma missing after the value of "a"?)' \
        'bad.json: 1 error' <<'EOF'
{
  "mcpServers": {
    "a": { "command": "x" }
    "b": { "command": "y" }
  }
}
EOF
    expect_invalid \
        'cc-mcp: error: bad.json:1:34: unterminated string (close it with a double quote)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"command": "x}}}'
    expect_invalid \
        "cc-mcp: error: bad.json:1:1: this object is never closed (add the missing '}')" \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"command": "x"}}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:41: unexpected text after the end of the document (remove it, or wrap everything in one object)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"command": "x"}}} trailing'
    expect_invalid \
        'cc-mcp: error: bad.json:1:40: duplicate key "a", first at line 1 (keep one of them)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}}}'
}

case_wrong_types() {
    expect_invalid \
        'cc-mcp: error: bad.json:1:1: the file must hold an object, not an array (start from {"mcpServers": {}})' \
        'bad.json: 1 error' <<<'[]'
    expect_invalid \
        'cc-mcp: error: bad.json:1:16: mcpServers: must be an object of servers by name, not an array' \
        'bad.json: 1 error' <<<'{"mcpServers": []}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:35: mcpServers.fs.command: must be a string, not a number (quote it: "5")' \
        'cc-mcp: error: bad.json:1:46: mcpServers.fs.args: must be an array of strings, not a string (write ["--flag", "value"])' \
        'cc-mcp: error: bad.json:1:63: mcpServers.fs.disabled: must be true or false, not a string' \
        'bad.json: 3 errors' <<<'{"mcpServers": {"fs": {"command": 5, "args": "x", "disabled": "no"}}}'
}

case_bad_sizes() {
    expect_invalid \
        'cc-mcp: error: bad.json:1:61: mcpServers.fs.limits.memory: "512x" is not a size (use e.g. 512m or 1g)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"fs": {"image": "a/b", "limits": {"memory": "512x"}}}}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:60: mcpServers.a.limits.memory: "1k" is below Docker'"'"'s minimum of 6m (use e.g. 128m or more)' \
        'cc-mcp: error: bad.json:1:74: mcpServers.a.limits.cpus: "-1" is not a positive number of cpus (use e.g. 0.5 or 2)' \
        'cc-mcp: error: bad.json:1:88: mcpServers.a.limits.pids: 0 is not a process count (use a whole number such as 256)' \
        'bad.json: 3 errors' <<<'{"mcpServers": {"a": {"command": "x", "limits": {"memory": "1k", "cpus": "-1", "pids": 0}}}}'
}

case_bad_names() {
    local hint="(use 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit)"
    local long=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa # 64
    expect_invalid \
        "cc-mcp: error: bad.json:3:5: mcpServers[\"My Server\"]: server name \"My Server\" is not allowed $hint" \
        "cc-mcp: error: bad.json:4:5: mcpServers[\"-lead\"]: server name \"-lead\" is not allowed $hint" \
        "cc-mcp: error: bad.json:5:5: mcpServers.$long: server name \"$long\" is not allowed $hint" \
        'bad.json: 3 errors' <<EOF
{
  "mcpServers": {
    "My Server": { "command": "x" },
    "-lead": { "command": "x" },
    "$long": { "command": "x" },
    "${long:1}": { "command": "x" }
  }
}
EOF
}

case_bad_mode_and_nothing_to_run() {
    expect_invalid \
        'cc-mcp: error: bad.json:1:31: mcpServers.a.mode: "dokcer" is not a mode (did you mean "docker"?)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"mode": "dokcer", "command": "x"}}}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:22: mcpServers.a: a docker server needs an image or a source (add "image": "..." or a "source" block, or set "mode": "external")' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"mode": "docker", "command": "npx"}}}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:22: mcpServers.a: an external server needs a command (add "command": "...", or set "mode": "docker")' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"mode": "external", "image": "x/y"}}}'
    expect_invalid \
        'cc-mcp: error: bad.json:1:22: mcpServers.a: nothing to run: no command, image or source (add "command" (and "args") to run it on the host, or "image" or a "source" block to run it in docker)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {}}}'
}

case_bad_mode_does_not_bring_a_second_error() {
    expect_invalid \
        'cc-mcp: error: bad.json:1:31: mcpServers.a.mode: "dokcer" is not a mode (did you mean "docker"?)' \
        'bad.json: 1 error' <<<'{"mcpServers": {"a": {"mode": "dokcer", "image": "x/y"}}}'
}

case_empty_and_huge_files() {
    : | expect_invalid \
        'cc-mcp: error: bad.json:1:1: the file is empty (start from {"mcpServers": {}})' \
        'bad.json: 1 error'
    expect_invalid \
        'cc-mcp: error: bad.json:2:1: the file is empty (start from {"mcpServers": {}})' \
        'bad.json: 1 error' <<<'// only a comment'
    head -c $((9 << 20)) /dev/zero | tr '\0' ' ' | expect_invalid \
        'cc-mcp: error: bad.json: is 9 MiB, more than the 8 MiB a config may have (is this the right file?)'
    head -c $(((8 << 20) + 1)) /dev/zero | tr '\0' ' ' | expect_invalid \
        'cc-mcp: error: bad.json: is 9 MiB, more than the 8 MiB a config may have (is this the right file?)'
    # Exactly 8 MiB is still read.
    { printf '{"mcpServers": {}}'; head -c $(((8 << 20) - 18)) /dev/zero | tr '\0' '\n'; } >big.json
    run_ccmcp --config big.json config validate
    expect_exit 0
    expect_stdout '✓ big.json: valid, 0 servers (0 enabled)'
}

case_folder_or_missing_file() {
    mkdir conf
    run_ccmcp --config conf config validate
    expect_exit 1
    expect_no_stdout
    expect_stderr "cc-mcp: error: conf: is a folder, not a file (pass the file itself, e.g. --config $tmp/conf/mcp.json)"
    run_ccmcp --config nope.json config validate
    expect_exit 1
    expect_stderr 'cc-mcp: error: nope.json: does not exist'
    expect_files . conf
}

case_unreadable_file() {
    as_nobody
    server_file mcp.json a
    chmod 600 mcp.json
    snapshot mcp.json
    run_ccmcp config validate
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: mcp.json: permission denied (check its permissions)'
    expect_unchanged mcp.json
}

case_several_problems_all_reported() {
    expect_invalid \
        'cc-mcp: error: bad.json:4:23: mcpServers.a.command: must be a string, not a number (quote it: "7")' \
        'cc-mcp: error: bad.json:5:29: mcpServers.a.limits.memory: "lots" is not a size (use e.g. 512m or 1g)' \
        'cc-mcp: error: bad.json:7:5: mcpServers.B: server name "B" is not allowed (use 1 to 63 characters of a-z, 0-9, '"'.'"', '"'_'"' and '"'-'"', starting with a letter or digit)' \
        'cc-mcp: error: bad.json:7:32: mcpServers.B.source.type: "svn" is not a source type (use "git", "npm" or "local")' \
        'cc-mcp: warning: bad.json:2:3: colour: unknown key "colour" (ignored)' \
        'cc-mcp: warning: bad.json:6:7: mcpServers.a.extra: unknown key "extra" (ignored)' \
        'bad.json: 4 errors, 2 warnings' <<'EOF'
{
  "colour": true,
  "mcpServers": {
    "a": { "command": 7,
      "limits": { "memory": "lots" },
      "extra": 1 },
    "B": { "source": { "type": "svn" } }
  }
}
EOF
}

case_unknown_keys_only_warn() {
    write mcp.json <<'EOF'
{
  "$schema": "https://example.com/schema.json",
  "mcpServers": {
    "a": { "command": "npx", "comand": "x", "limits": { "memroy": "1g" } }
  }
}
EOF
    snapshot mcp.json
    run_ccmcp config validate
    expect_exit 0
    expect_stderr <<'EOF'
cc-mcp: warning: mcp.json:4:30: mcpServers.a.comand: unknown key "comand" (ignored; did you mean "command"?)
cc-mcp: warning: mcp.json:4:57: mcpServers.a.limits.memroy: unknown key "memroy" (ignored; did you mean "memory"?)
EOF
    expect_stdout '✓ mcp.json: valid, 1 server (1 enabled), 2 warnings'
    run_ccmcp --json config validate
    expect_exit 0
    [ "$(json_value '(d["valid"], d["errors"], d["warnings"], d["diagnostics"][1]["line"], d["diagnostics"][1]["column"])')" = "(True, 0, 2, 4, 57)" ] ||
        fail "config validate --json: $(stdout_text)"
    expect_unchanged mcp.json
}

case_commands_must_be_found_on_this_machine() {
    write mcp.json <<'EOF'
{
  "mcpServers": {
    "github": { "command": "cc-mcp-no-such-npx", "args": ["@modelcontextprotocol/server-github"] },
    "off": { "command": "cc-mcp-no-such-uvx", "disabled": true },
    "fine": { "command": "sh" }
  }
}
EOF
    run_ccmcp config validate
    expect_exit 1
    expect_no_stdout
    expect_stderr <<'EOF'
cc-mcp: error: mcp.json:3:28: mcpServers.github.command: command "cc-mcp-no-such-npx" not found on PATH (install it, or give its full path)
mcp.json: 1 error
EOF
    run_ccmcp --json config validate
    expect_exit 1
    [ "$(json_value '(d["valid"], d["errors"], d["diagnostics"][0]["path"])')" = "(False, 1, 'mcpServers.github.command')" ] ||
        fail "config validate --json: $(stdout_text)"
    # The file itself is fine: the other commands still work, disable too.
    run_ccmcp list
    expect_exit 0
    run_ccmcp disable github
    expect_exit 0
    run_ccmcp config validate
    expect_exit 0
    expect_stdout '✓ mcp.json: valid, 3 servers (1 enabled)'
}

run_cases
