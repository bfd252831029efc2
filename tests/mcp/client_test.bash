# The MCP client library (src/mcp) against a real server: server-everything
# from the npm fixtures, over stdio and behind cc-mcp-bridge over
# Streamable HTTP; and probe waiting for a server that comes up late.
# usage: bash client_test.bash CC_MCP_BRIDGE MCP_CHECK [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../bridge/lib.bash"
bridge_init "$1" /bin/true "${3:-}"
CHECK=$(readlink -f "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../fixtures.bash"
need_fixtures client_test
fixtures=$FIXTURES
everything_js=$EVERYTHING_JS
everything=(node "$everything_js" stdio)

# check_all FILE: every scenario line says ok, and there are 9 of them.
check_all() {
    local lines ok
    lines=$(grep -c '"scenario"' "$1")
    ok=$(grep -c '"ok":true' "$1")
    [ "$lines" = 9 ] && [ "$ok" = 9 ] || fail "scenarios: $ok of $lines ok: $(grep -v '"ok":true' "$1")"
}

case_http_behind_the_bridge() {
    start_bridge -- "${everything[@]}" || return
    timeout 120 "$CHECK" http "$URL/mcp" >"$WORK/out" 2>&1 || fail "mcp_check http failed"
    check_all "$WORK/out"
    # The session was ended with DELETE: the bridge has no child left.
    sleep 0.3
    [ "$(children_of "$BRIDGE_PID")" = 0 ] || fail "the bridge still has a child after close"
}

case_stdio_direct() {
    timeout 120 "$CHECK" stdio -- "${everything[@]}" >"$WORK/out" 2>&1 || fail "mcp_check stdio failed"
    check_all "$WORK/out"
}

case_probe_waits_for_a_late_server() {
    PORT=$(free_port)
    URL="http://127.0.0.1:$PORT"
    "$CHECK" probe "$URL/mcp" 30000 >"$WORK/out" 2>&1 &
    local probe=$!
    sleep 1
    "$BRIDGE" --port "$PORT" -- "${everything[@]}" >"$WORK/bridge.log" 2>&1 &
    BRIDGE_PID=$!
    wait "$probe" || fail "probe failed: $(cat "$WORK/out")"
    python3 - "$WORK/out" <<'EOF' || fail "probe result: $(cat "$WORK/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["server"] and r["protocol"] == "2025-11-25", r
assert "echo" in r["tools"], r
assert r["attempts"] > 1 and r["readyMs"] >= 900, r
EOF
}

case_probe_gives_up() {
    PORT=$(free_port)
    local start=$SECONDS
    if "$CHECK" probe "http://127.0.0.1:$PORT/mcp" 700 >"$WORK/out" 2>&1; then
        fail "probe succeeded with nothing listening"
    fi
    grep -qF "http://127.0.0.1:$PORT/mcp: did not answer MCP initialize within 700 ms (last: nothing answers" "$WORK/out" ||
        fail "probe's error: $(cat "$WORK/out")"
    [ $((SECONDS - start)) -le 3 ] || fail "probe took $((SECONDS - start)) s for a 700 ms time-out"
}

run_cases
