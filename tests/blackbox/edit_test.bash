# enable and disable: mcp.json edited in place, only where needed, comments
# kept, the previous bytes in mcp.json.bak; refusals leave it untouched.
#
# usage: bash edit_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bb_init "$@"

write_servers() {
    write mcp.json <<'EOF'
// My servers.
{
  "mcpServers": {
    "alpha": { "command": "npx" }, // the first
    "beta": {
      "command": "uvx",
      "enabled": true
    },
    /* built from source */
    "gamma": { "mode": "docker", "command": "npx", "docker": { "image": "cc-mcp/gamma:1" } }
  }
}
EOF
}

# stat_of FILE: what a rewrite would change even with the same bytes.
stat_of() { stat -c '%i %Y.%y %s' "$1"; }

case_disable_and_enable_change_only_what_is_needed() {
    write_servers
    cp mcp.json original
    run_ccmcp disable alpha beta gamma
    expect_exit 0
    expect_no_stderr
    expect_stdout <<'EOF'
disabled alpha
disabled beta
disabled gamma
EOF
    write expected <<'EOF'
// My servers.
{
  "mcpServers": {
    "alpha": { "command": "npx", "disabled": true }, // the first
    "beta": {
      "command": "uvx",
      "enabled": false
    },
    /* built from source */
    "gamma": { "mode": "docker", "command": "npx", "docker": { "image": "cc-mcp/gamma:1" }, "disabled": true }
  }
}
EOF
    expect_same_file mcp.json expected
    expect_same_file mcp.json.bak original
    run_ccmcp enable gamma alpha beta
    expect_exit 0
    expect_stdout <<'EOF'
enabled gamma
enabled alpha
enabled beta
EOF
    expect_same_file mcp.json original
    expect_same_file mcp.json.bak expected
    expect_files . mcp.json mcp.json.bak original expected
}

case_enable_with_mode() {
    write_servers
    cp mcp.json original
    run_ccmcp enable gamma --mode external
    expect_exit 0
    expect_stdout 'enabled gamma (mode external)'
    sed 's/"mode": "docker"/"mode": "external"/' original >expected
    expect_same_file mcp.json expected
    expect_same_file mcp.json.bak original
    run_ccmcp --json enable gamma alpha --mode external
    expect_exit 0
    expect_stdout <<'EOF'
{
  "changed": [],
  "unchanged": [
    "gamma",
    "alpha"
  ]
}
EOF
    run_ccmcp enable alpha --mode external
    expect_stdout 'alpha is already enabled in external mode'
}

case_already_so_is_not_rewritten() {
    write_servers
    snapshot mcp.json
    local before
    before=$(stat_of mcp.json)
    sleep 0.05
    run_ccmcp enable alpha beta gamma
    expect_exit 0
    expect_no_stderr
    expect_stdout <<'EOF'
alpha is already enabled
beta is already enabled
gamma is already enabled
EOF
    expect_unchanged mcp.json
    [ "$(stat_of mcp.json)" = "$before" ] || fail "mcp.json was rewritten: $before -> $(stat_of mcp.json)"
    expect_files . mcp.json  # no backup when nothing changed
    run_ccmcp disable alpha
    run_ccmcp disable alpha alpha
    expect_exit 0
    expect_stdout 'alpha is already disabled'
    snapshot mcp.json mcp.json.bak
    before=$(stat_of mcp.json)
    sleep 0.05
    run_ccmcp --json disable alpha
    expect_exit 0
    expect_stdout <<'EOF'
{
  "changed": [],
  "unchanged": [
    "alpha"
  ]
}
EOF
    expect_unchanged mcp.json mcp.json.bak
    [ "$(stat_of mcp.json)" = "$before" ] || fail "mcp.json was rewritten: $before -> $(stat_of mcp.json)"
}

case_unknown_server() {
    write_servers
    snapshot mcp.json
    run_ccmcp disable alpah
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "alpah": no such server in mcp.json (did you mean "alpha"?)'
    # All or nothing: the known name is not disabled either.
    run_ccmcp disable beta zzz
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "zzz": no such server in mcp.json (cc-mcp list shows the servers)'
    run_ccmcp enable Gamma
    expect_exit 1
    expect_stderr 'cc-mcp: error: "Gamma": no such server in mcp.json (did you mean "gamma"?)'
    expect_unchanged mcp.json
    expect_files . mcp.json
    write empty.json <<<'{ "mcpServers": {} }'
    run_ccmcp --config empty.json enable alpha
    expect_exit 1
    expect_stderr 'cc-mcp: error: "alpha": no such server in empty.json (mcp.json has no servers yet)'
}

case_change_that_would_make_it_invalid() {
    write_servers
    snapshot mcp.json
    run_ccmcp enable alpha --mode docker
    expect_exit 1
    expect_no_stdout
    expect_stderr <<'EOF'
cc-mcp: error: mcp.json:4:14: mcpServers.alpha: a docker server needs an image or a source (add "image": "..." or a "source" block, or set "mode": "external")
cc-mcp: error: mcp.json: enabling "alpha" in docker mode would make it invalid; it was left as it was
EOF
    run_ccmcp --json enable alpha --mode docker
    expect_exit 1
    expect_stdout <<'EOF'
{
  "error": {
    "message": "mcp.json: enabling \"alpha\" in docker mode would make it invalid; it was left as it was"
  }
}
EOF
    expect_unchanged mcp.json
    expect_files . mcp.json
}

case_file_with_errors_is_not_edited() {
    write mcp.json <<'EOF'
{
  "mcpServers": {
    "alpha": { "command": "npx" },
    "beta": { "command": "uvx", "limits": { "memory": "512x" } }
  }
}
EOF
    snapshot mcp.json
    run_ccmcp disable alpha
    expect_exit 1
    expect_no_stdout
    expect_stderr <<'EOF'
cc-mcp: error: mcp.json:4:55: mcpServers.beta.limits.memory: "512x" is not a size (use e.g. 512m or 1g)
cc-mcp: error: mcp.json: has 1 error; it was left as it was (fix them, then run cc-mcp config validate)
EOF
    write broken.json <<<'{ "mcpServers": { "alpha": { "command": "npx" } }'
    snapshot broken.json
    run_ccmcp --config broken.json enable alpha
    expect_exit 1
    expect_stderr <<'EOF'
cc-mcp: error: broken.json:1:1: this object is never closed (add the missing '}')
cc-mcp: error: broken.json: has 1 error; it was left as it was (fix them, then run cc-mcp config validate)
EOF
    run_ccmcp --json disable alpha
    expect_exit 1
    expect_json
    [ "$(json_value 'd["error"]["kind"], d["error"]["message"]')" = "('config', 'mcp.json: has 1 error (fix them, then run cc-mcp config validate)')" ] ||
        fail "disable --json on a file with errors: $(stdout_text)"
    expect_unchanged mcp.json broken.json
    expect_files . mcp.json broken.json
}

case_file_not_writable() {
    as_nobody
    write_servers
    chmod 644 mcp.json
    snapshot mcp.json
    run_ccmcp disable alpha
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: mcp.json: is not writable: permission denied (check its permissions; it was left as it was)'
    expect_unchanged mcp.json
    expect_files . mcp.json
    # Even where the folder would let it be replaced.
    chmod 777 "$tmp"
    run_ccmcp disable alpha
    expect_exit 1
    expect_stderr 'cc-mcp: error: mcp.json: is not writable: permission denied (check its permissions; it was left as it was)'
    expect_unchanged mcp.json
    expect_files . mcp.json
}

case_folder_not_writable() {
    as_nobody
    write_servers
    chmod 666 mcp.json
    snapshot mcp.json
    run_ccmcp disable alpha
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: mcp.json.bak: cannot write in its folder: permission denied (check the folder'"'"'s permissions)'
    expect_unchanged mcp.json
    expect_files . mcp.json
}

case_symlink_is_kept() {
    mkdir real
    write_servers
    mv mcp.json real/servers.json
    cp real/servers.json original
    ln -s real/servers.json mcp.json
    run_ccmcp disable alpha
    expect_exit 0
    expect_stdout 'disabled alpha'
    [ -L mcp.json ] && [ "$(readlink mcp.json)" = real/servers.json ] ||
        fail "mcp.json is no longer the link to real/servers.json"
    grep -q '"alpha": { "command": "npx", "disabled": true }, // the first' real/servers.json ||
        fail "the link's target was not changed: $(cat real/servers.json)"
    # The backup is beside the file that was written.
    expect_same_file real/servers.json.bak original
    expect_files . mcp.json real original
    expect_files real servers.json servers.json.bak
}

case_file_mode_is_kept() {
    write_servers
    chmod 640 mcp.json
    run_ccmcp disable beta
    expect_exit 0
    [ "$(stat -c %a mcp.json mcp.json.bak | tr '\n' ' ')" = "640 640 " ] ||
        fail "modes after the rewrite: $(stat -c '%n %a' mcp.json mcp.json.bak)"
}

# twenty_at_once VERB: 20 processes, started together, each VERB one server.
twenty_at_once() {
    local i pids=()
    for i in $(seq -w 1 20); do
        ccmcp_command --no-color "$1" "s$i"
        (
            while [ ! -e "$BB_ROOT/out/go" ]; do sleep 0.005; done
            exec "${CCMCP[@]}" >"$BB_ROOT/out/p$i.out" 2>"$BB_ROOT/out/p$i.err"
        ) &
        pids+=($!)
    done
    sleep 0.2
    touch "$BB_ROOT/out/go"
    for i in $(seq -w 1 20); do
        wait "${pids[$((10#$i - 1))]}" || fail "cc-mcp $1 s$i exited $?: $(cat "$BB_ROOT/out/p$i.err")"
        [ "$(cat "$BB_ROOT/out/p$i.out")" = "${1}d s$i" ] ||
            fail "cc-mcp $1 s$i printed: $(cat "$BB_ROOT/out/p$i.out" "$BB_ROOT/out/p$i.err")"
    done
    rm "$BB_ROOT/out/go"
    BB_LAST="20 concurrent cc-mcp $1"
}

# server_list SUFFIX: the 20 servers, each with SUFFIX after its command.
server_list() {
    echo '{'
    echo '  "mcpServers": {'
    for i in $(seq -w 1 20); do
        # sh: `config validate` checks that each enabled server's command exists.
        printf '    "s%s": { "command": "sh", "args": ["run-%s"]%s }%s\n' "$i" "$i" "$1" "$([ "$i" = 20 ] || echo ,)"
    done
    echo '  }'
    echo '}'
}

case_twenty_concurrent_disables_then_enables() {
    server_list "" >mcp.json
    server_list ', "disabled": true' >"$BB_ROOT/out/all-disabled"
    cp mcp.json "$BB_ROOT/out/all-enabled"
    twenty_at_once disable
    expect_same_file mcp.json "$BB_ROOT/out/all-disabled"
    run_ccmcp config validate
    expect_exit 0
    expect_stdout '✓ mcp.json: valid, 20 servers (0 enabled)'
    # The backup is the file before the last change: one server still enabled.
    run_ccmcp --config mcp.json.bak config validate
    expect_exit 0
    expect_stdout '✓ mcp.json.bak: valid, 20 servers (1 enabled)'
    expect_files . mcp.json mcp.json.bak

    twenty_at_once enable
    expect_same_file mcp.json "$BB_ROOT/out/all-enabled"
    run_ccmcp config validate
    expect_exit 0
    expect_stdout '✓ mcp.json: valid, 20 servers (20 enabled)'
    run_ccmcp --config mcp.json.bak config validate
    expect_stdout '✓ mcp.json.bak: valid, 20 servers (19 enabled)'
    expect_files . mcp.json mcp.json.bak
}

run_cases
