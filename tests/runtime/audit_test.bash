# The audit log against the real engine, with the fixture image (the static
# bridge and the fake MCP server): calls through the server's URL land in
# $CC_MCP_HOME/audit/NAME/ (a folder of the container's uid 1001), `cc-mcp
# audit` shows them (text, --json, -n, --since, -f), "audit": false writes
# none and the command says so.
#
# usage: RT_BRIDGE=build/cc-mcp-bridge RT_FAKE=build/fake_mcp_server \
#        bash audit_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_runtime.bash"
bb_init "$@"
rt_require_engine
RT_BRIDGE=$(readlink -f "${RT_BRIDGE:?RT_BRIDGE names the static bridge}")
RT_FAKE=$(readlink -f "${RT_FAKE:?RT_FAKE names the fake server}")
rt_fixture_images "$RT_BRIDGE" "$RT_FAKE"

# audit_config NAME [EXTRA_JSON]: mcp.json with one fixture server.
audit_config() {
    write mcp.json <<JSON
{"mcpServers": {"$1": {"image": "$RT_FIXTURE", "limits": {"memory": "64m"}${2:+, $2}}}}
JSON
}

# The bridge writes a line as it answers: the client may be faster.
wait_for_audit_lines() {
    wait_for "[ \$(cat '$1' 2>/dev/null | wc -l) -ge $2 ]" 10 ||
        fail "expected $2 line(s) in $1: $(cat "$1" 2>&1)"
}

LINE_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}  [0-9a-f]{8}  '

case_calls_through_the_url_are_audited_and_shown() {
    local name
    name=$(rt_name calls)
    audit_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local dir=$tmp/home/audit/$name port
    port=$(rt_port "$name")
    # Handed to the container's user; other users may not read or write it.
    [ "$(stat -c '%u:%g %a' "$dir")" = "1001:1001 750" ] ||
        fail "the audit folder is $(stat -c '%u:%g %a' "$dir")"
    expect_inspect "$name" "{{json .HostConfig.Binds}}=[\"$dir:/var/log/cc-mcp\"]"

    local answer
    answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call \
        '{"name":"echo","arguments":{"text":"argument-value-never-kept"}}')
    [[ $answer == *argument-value-never-kept* ]] || fail "tools/call answered: $answer"
    mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"nope","arguments":{}}' >/dev/null
    wait_for_audit_lines "$dir/audit.jsonl" 2
    [ "$(stat -c %u "$dir/audit.jsonl")" = 1001 ] || fail "the file is not the container's"
    ! grep -rq argument-value-never-kept "$dir" || fail "an argument's value is in the audit file"

    run_ccmcp audit "$name"
    expect_exit 0
    expect_no_stderr
    [ "$(wc -l <"$BB_ROOT/out/stdout")" = 2 ] || fail "audit printed: $(stdout_text)"
    grep -qE "${LINE_RE}tools/call  echo  [0-9]+ ms  36 B  ok$" "$BB_ROOT/out/stdout" ||
        fail "no line for the echo call: $(stdout_text)"
    grep -qE "${LINE_RE}tools/call  nope  [0-9]+ ms  2 B  error -32602: unknown tool nope$" \
        "$BB_ROOT/out/stdout" || fail "no line for the failed call: $(stdout_text)"

    run_ccmcp --json audit "$name"
    expect_exit 0
    "$BB_PYTHON" - "$BB_ROOT/out/stdout" <<'PY' || fail "audit --json: $(stdout_text)"
import hashlib, json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 2, lines
ok, error = lines
assert ok["method"] == "tools/call" and ok["name"] == "echo" and ok["status"] == "ok", ok
args = b'{"text":"argument-value-never-kept"}'
assert ok["argsBytes"] == len(args) and ok["argsSha256"] == hashlib.sha256(args).hexdigest(), ok
assert len(ok["session"]) == 32 and ok["time"].endswith("Z") and ok["durationMs"] >= 0, ok
assert error["error"] == {"code": -32602, "message": "unknown tool nope"}, error
PY

    run_ccmcp audit "$name" -n 1
    expect_exit 0
    { [ "$(wc -l <"$BB_ROOT/out/stdout")" = 1 ] && grep -q '  nope  ' "$BB_ROOT/out/stdout"; } ||
        fail "-n 1 printed: $(stdout_text)"
    run_ccmcp audit "$name" --since 10m
    [ "$(wc -l <"$BB_ROOT/out/stdout")" = 2 ] || fail "--since 10m printed: $(stdout_text)"
    run_ccmcp audit "$name" --since 2099-01-01T00:00:00Z
    expect_exit 0
    expect_no_stdout
    run_ccmcp audit "$name" --since yesterday
    expect_exit 2
    expect_stderr 'cc-mcp: error: --since: "yesterday" is not a duration or a time (use a duration like 10m or 2h, or an RFC 3339 time like 2026-12-08T10:00:00Z)'
    run_ccmcp audit "$name" -n lots
    expect_exit 2
    expect_stderr 'cc-mcp: error: -n: "lots" is not a number of entries (e.g. -n 20 for the last twenty)'

    # -f: what is there, then a new call as it happens.
    ccmcp_command --no-color audit -f "$name"
    "${CCMCP[@]}" >"$tmp/follow.out" 2>"$tmp/follow.err" &
    local follower=$!
    wait_for "[ \$(wc -l <'$tmp/follow.out') -ge 2 ]" 10 || fail "-f printed: $(cat "$tmp/follow.out")"
    mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"whoami","arguments":{}}' >/dev/null
    wait_for "grep -q '  whoami  ' '$tmp/follow.out'" 10 ||
        fail "-f did not see the new call: $(cat "$tmp/follow.out" "$tmp/follow.err")"
    kill -INT "$follower"
    wait "$follower"
    [ $? = 0 ] || fail "-f did not end cleanly on Ctrl-C"
}

case_audit_false_writes_nothing_and_says_so() {
    local name
    name=$(rt_name off)
    audit_config "$name" '"audit": false'
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    expect_inspect "$name" '{{json .HostConfig.Binds}}=[]' '{{json .Config.Env}}=null'
    mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"x"}}' |
        grep -q '"text":"x"' || fail "the server did not answer"
    [ ! -e "$tmp/home/audit/$name" ] || fail "an audit folder was made: $(ls -lR "$tmp/home/audit")"
    run_ccmcp audit "$name"
    expect_exit 1
    expect_no_stdout
    expect_stderr "cc-mcp: error: \"$name\": its audit log is off (\"audit\": false in mcp.json) (remove \"audit\": false from its entry, then cc-mcp restart $name)"

    # Turned on again: a new container (the config hash saw it), audited.
    audit_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    [[ $(stdout_text) == *"container recreated"* ]] || fail "start printed: $(stdout_text)"
    mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"y"}}' >/dev/null
    wait_for_audit_lines "$tmp/home/audit/$name/audit.jsonl" 1
}

case_clear_errors() {
    local name
    name=$(rt_name errs)
    audit_config "$name"
    run_ccmcp audit "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"$name\": has no audit entries yet (its bridge writes one per tool call once it runs: cc-mcp start $name)"
    run_ccmcp audit "${name}x"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"${name}x\": no such server in mcp.json (did you mean \"$name\"?)"
    run_ccmcp audit
    expect_exit 2
    expect_stderr 'cc-mcp: error: cc-mcp audit: needs a server name (e.g. cc-mcp audit filesystem)'
    audit_config "$name" '"audit": "no"'
    run_ccmcp audit "$name"
    expect_exit 1
    grep -qF "mcpServers.$name.audit: must be true or false, not a string (write false to turn the audit log off; leave it out to keep it on)" \
        "$BB_ROOT/out/stderr" || fail "no diagnostic: $(stderr_text)"
}

run_cases
