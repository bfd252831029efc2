# The bridge's audit file (--audit-file): one JSON line per tools/call,
# resources/read and prompts/get, with the arguments' size and SHA-256 but
# never their values; how each call ended (ok, the server's error, the
# bridge's timeout or a server that exited); rotation by size; a full disk
# that loses entries but no request.
# usage: bash audit_test.bash CC_MCP_BRIDGE FAKE_MCP_SERVER [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bridge_init "$@"

AUDIT=

start_audited() {
    AUDIT=$WORK/audit.jsonl
    rm -f "$AUDIT" "$AUDIT".*
    start_bridge --audit-file "$AUDIT" "$@"
}

# audit_check PYTHON_EXPRESSION: true when it holds of `lines` (the parsed
# entries of $AUDIT, oldest first); fails the case with the file otherwise.
audit_check() {
    python3 - "$AUDIT" "$1" <<'PY' || fail "audit file: $2 (expected: $1): $(cat "$AUDIT" 2>&1)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# The bridge writes the line when it answers; the reply may reach curl first.
wait_for_lines() {
    local i
    for i in $(seq 1 50); do
        [ "$(wc -l <"$AUDIT" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
        sleep 0.1
    done
    fail "expected $1 audit line(s), the file has: $(cat "$AUDIT" 2>&1)"
}

sha256_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

case_a_tool_call_ok_is_one_line_without_its_arguments() {
    start_audited -- "$FAKE" || return
    initialize
    post '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' -H "Mcp-Session-Id: $SID"
    call_tool 3 echo '{ "text" : "top-secret-value-4711" }'
    expect_status 200
    expect_body_contains top-secret-value-4711
    wait_for_lines 1
    local args='{"text":"top-secret-value-4711"}'
    audit_check "len(lines) == 1" "initialize and tools/list are not audited"
    audit_check "lines[0]['method'] == 'tools/call' and lines[0]['name'] == 'echo'" "method, name"
    audit_check "lines[0]['session'] == '$SID'" "session"
    audit_check "lines[0]['status'] == 'ok' and 'error' not in lines[0]" "status"
    audit_check "lines[0]['argsBytes'] == ${#args}" "argsBytes"
    audit_check "lines[0]['argsSha256'] == '$(sha256_of "$args")'" "argsSha256 of the compact arguments"
    audit_check "isinstance(lines[0]['durationMs'], int) and lines[0]['durationMs'] >= 0" "durationMs"
    audit_check "__import__('re').fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z', lines[0]['time'])" \
        "time in UTC with milliseconds"
    ! grep -q top-secret "$AUDIT" || fail "the argument's value is in the audit file"
    grep -q "audit log $AUDIT" "$WORK/bridge.log" || fail "the bridge did not say where it audits"
}

case_the_servers_error_with_its_code_and_message() {
    start_audited -- "$FAKE" || return
    initialize
    call_tool 2 nope '{}'
    expect_body_contains 'unknown tool nope'
    # resources/read and prompts/get, which this server does not have.
    post '{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"file:///etc/hostname"}}' \
        -H "Mcp-Session-Id: $SID"
    post '{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{"name":"summary","arguments":{"topic":"x"}}}' \
        -H "Mcp-Session-Id: $SID"
    wait_for_lines 3
    audit_check "lines[0]['status'] == 'error' and lines[0]['error'] == {'code': -32602, 'message': 'unknown tool nope'}" \
        "the server's error"
    audit_check "lines[1]['method'] == 'resources/read' and lines[1]['name'] == 'file:///etc/hostname' and lines[1]['argsBytes'] == 0" \
        "resources/read by its URI"
    audit_check "lines[2]['method'] == 'prompts/get' and lines[2]['name'] == 'summary' and lines[2]['error']['code'] == -32601" \
        "prompts/get"
}

case_a_timeout_is_the_bridges_answer() {
    start_audited --request-timeout 1 -- "$FAKE" --silent || return
    initialize
    call_tool 2 echo '{"text":"x"}'
    expect_body_contains 'did not answer within 1 s'
    wait_for_lines 1
    audit_check "lines[0]['status'] == 'timeout' and lines[0]['error']['code'] == -32001" "timeout"
    audit_check "lines[0]['durationMs'] >= 1000" "the time it waited"
}

case_a_server_that_exits_mid_call() {
    start_audited -- "$FAKE" --exit-on-call 3 || return
    initialize
    call_tool 2 echo '{"text":"x"}'
    expect_body_contains 'the MCP server exited'
    wait_for_lines 1
    audit_check "lines[0]['status'] == 'server exited' and lines[0]['error']['code'] == -32000" \
        "server exited"
}

case_a_batch_is_refused_and_nothing_reaches_the_server() {
    start_audited -- "$FAKE" || return
    initialize
    post '[{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a"}}},{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"b"}}}]' \
        -H "Mcp-Session-Id: $SID"
    expect_status 400
    # The slow path (a progress token) and an escaped method are audited too.
    post '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"text":"c"},"_meta":{"progressToken":7}}}' \
        -H "Mcp-Session-Id: $SID"
    post '{"jsonrpc":"2.0","id":5,"method":"tools\/call","params":{"name":"echo","arguments":{"text":"d"}}}' \
        -H "Mcp-Session-Id: $SID"
    expect_body_contains '"id":5'
    wait_for_lines 2
    audit_check "len(lines) == 2 and all(l['method'] == 'tools/call' and l['status'] == 'ok' for l in lines)" \
        "the batch refused, the slow path and the escaped method audited"
}

case_shared_child_sessions_are_told_apart() {
    start_audited --shared -- "$FAKE" || return
    initialize
    local first=$SID
    initialize
    local second=$SID
    SID=$first call_tool 2 echo '{"text":"one"}'
    SID=$second call_tool 2 echo '{"text":"two"}'
    wait_for_lines 2
    audit_check "[l['session'] for l in lines] == ['$first', '$second']" "one line per session"
}

case_rotation_at_a_small_size_keeps_a_few_files() {
    start_audited --audit-max-size 1k --audit-keep 2 -- "$FAKE" || return
    initialize
    local i
    for i in $(seq 1 40); do call_tool "$((i + 1))" echo "{\"text\":\"n$i\"}"; done
    sleep 0.3
    [ -f "$AUDIT.1" ] && [ -f "$AUDIT.2" ] || fail "not rotated: $(ls "$WORK")"
    [ ! -e "$AUDIT.3" ] || fail "kept more than --audit-keep 2"
    local f
    for f in "$AUDIT" "$AUDIT.1" "$AUDIT.2"; do
        [ "$(stat -c %s "$f")" -le 1024 ] || fail "$f is over 1k: $(stat -c %s "$f")"
        python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$f" ||
            fail "$f holds a line that is not JSON"
    done
    # The newest call is the last line of the current file.
    [ "$(tail -1 "$AUDIT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["durationMs"] >= 0)')" = True ] ||
        fail "the last line: $(tail -1 "$AUDIT")"
}

case_a_full_disk_loses_entries_not_requests() {
    start_bridge --audit-file /dev/full -- "$FAKE" || return
    initialize
    call_tool 2 echo '{"text":"a"}'
    expect_status 200
    call_tool 3 echo '{"text":"b"}'
    expect_status 200
    expect_body_contains '"text":"b"'
    [ "$(grep -c 'audit: cannot write /dev/full' "$WORK/bridge.log")" = 1 ] ||
        fail "the lost entries were not said once: $(cat "$WORK/bridge.log")"
}

case_the_environment_asks_and_the_server_never_sees_it() {
    AUDIT=$WORK/from-env.jsonl
    CC_MCP_AUDIT_FILE=$AUDIT start_bridge -- sh -c "env >'$WORK/child-env'; exec '$FAKE'" || return
    initialize
    call_tool 2 echo '{"text":"a"}'
    wait_for_lines 1
    [ -s "$WORK/child-env" ] || fail "the child did not start"
    ! grep -q CC_MCP_AUDIT_FILE "$WORK/child-env" || fail "the server saw CC_MCP_AUDIT_FILE"
}

case_a_missing_folder_is_a_start_up_error() {
    local port
    port=$(free_port)
    "$BRIDGE" --port "$port" --audit-file "$WORK/no/such/audit.jsonl" -- "$FAKE" 2>"$WORK/err"
    [ $? = 1 ] || fail "exit $? for a folder that is not there"
    grep -q 'cc-mcp-bridge: error: --audit-file: cannot open' "$WORK/err" || fail "$(cat "$WORK/err")"
    "$BRIDGE" --audit-max-size lots -- "$FAKE" 2>"$WORK/err"
    [ $? = 2 ] || fail "a bad --audit-max-size is not a usage error"
}

run_cases
