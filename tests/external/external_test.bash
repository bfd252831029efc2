# External mode (src/runtime/external.h) with a real server: server-everything
# from the npm fixtures, started on the host under cc-mcp-bridge as a
# supervised background process, probed with the MCP client, its bridge
# killed (restarted, counted), its supervisor killed (left-overs cleaned at
# the next start), stopped (nothing of its session left).
# usage: bash external_test.bash EXTERNAL_DRIVER MCP_CHECK [PATTERN]
DRIVER=$(readlink -f "$1")
CHECK=$(readlink -f "$2")
FILTER=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../fixtures.bash"
need_fixtures external_test
fixtures=$FIXTURES
everything_js=$EVERYTHING_JS
PASSED=0
FAILED=0
WORK=

fail() {  # cases run in a subshell: the failures file carries the verdict out
    echo "    FAIL: $*" | tee -a "$WORK/failures" >&2
}

driver() { "$DRIVER" "$@" 2>"$WORK/driver.err"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# The live (not zombie) processes whose session is $1.
session_members() {
    ps -e -o sid=,pid=,stat= | awk -v s="$1" '$1 == s && $3 !~ /^Z/ {print $2}'
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds.
wait_for() {
    local limit=$1 i
    shift
    for i in $(seq 1 $((limit * 10))); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

write_config() {  # write_config NAME COMMAND ARGS...: mcp.json with one external server
    local name=$1 command=$2
    shift 2
    python3 - "$WORK/mcp.json" "$name" "$command" "$@" <<'EOF'
import json, sys
path, name, command, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
json.dump({"mcpServers": {name: {"command": command, "args": args,
           "environment": {"CC_MCP_TEST_VALUE": "from mcp.json"}}}}, open(path, "w"))
EOF
}

probe() { timeout 60 "$CHECK" probe "$1" 30000 >"$WORK/probe.out" 2>&1; }

case_start_probe_restart_stop() {
    write_config ev sh -c 'echo "the server sees CC_MCP_TEST_VALUE=$CC_MCP_TEST_VALUE" >&2; exec "$0" "$@"' node "$everything_js" stdio
    local out pid url bridge
    out=$(driver start "$WORK/mcp.json" ev) || { fail "start: $(cat "$WORK/driver.err")"; return; }
    pid=$(field "$out" pid)
    url=$(field "$out" url)
    [[ $url =~ ^http://127\.0\.0\.1:[0-9]+/mcp$ ]] || fail "url: $url"
    probe "$url" || fail "probe: $(cat "$WORK/probe.out")"
    grep -q '"echo"' "$WORK/probe.out" || fail "no echo tool: $(cat "$WORK/probe.out")"

    out=$(driver status ev)
    [ "$(field "$out" running)" = True ] || fail "status: $out"
    [ "$(field "$out" restarts)" = 0 ] || fail "restarts: $out"
    [ "$(field "$out" pid)" = "$pid" ] || fail "pid: $out"
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["rss"] > 1e6 and d["processes"] >= 2 and d["cpu"] >= 0, d' "$out" ||
        fail "cpu/rss/processes: $out"
    bridge=$(field "$out" bridge)
    # Everything runs in the supervisor's session, bound to 127.0.0.1 only.
    session_members "$pid" | grep -qx " *$bridge" || fail "the bridge $bridge is not in session $pid"
    ss -ltn | grep -q "127.0.0.1:$(field "$out" port) " || fail "not listening on 127.0.0.1"
    ss -ltn | grep -q "0.0.0.0:$(field "$out" port) " && fail "listening on 0.0.0.0"
    driver logs ev >"$WORK/log"
    grep -q 'cc-mcp-bridge: serving sh on http://127.0.0.1:' "$WORK/log" || fail "log: $(cat "$WORK/log")"
    grep -q 'the server sees CC_MCP_TEST_VALUE=from mcp.json' "$WORK/log" || fail "environment: $(cat "$WORK/log")"
    grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' "$WORK/log" || fail "no time stamps: $(head -3 "$WORK/log")"

    # Started again as it is: left alone.
    out=$(driver start "$WORK/mcp.json" ev) || fail "start again: $(cat "$WORK/driver.err")"
    [ "$(field "$out" alreadyRunning)" = True ] && [ "$(field "$out" pid)" = "$pid" ] || fail "start again: $out"

    # The bridge dies: the supervisor starts it again, on the same port.
    kill -9 "$bridge"
    wait_for 10 sh -c "\"$DRIVER\" status ev | grep -q '\"restarts\":1,'" || fail "no restart: $(driver status ev)"
    out=$(driver status ev)
    [ "$(field "$out" bridge)" != "$bridge" ] && [ "$(field "$out" bridge)" != 0 ] || fail "new bridge: $out"
    probe "$url" || fail "probe after the restart: $(cat "$WORK/probe.out")"
    driver logs ev | grep -q 'cc-mcp: the bridge was killed by signal 9 (Killed); restarting it in 100 ms' ||
        fail "the restart is not in the log: $(driver logs ev 10)"

    out=$(driver stop ev)
    [ "$(field "$out" stopped)" = True ] || fail "stop: $out"
    [ -z "$(session_members "$pid")" ] || fail "left in the session: $(session_members "$pid")"
    [ ! -e "$CC_MCP_HOME/run/ev.pid" ] || fail "the pid file is still there"
    out=$(driver status ev)
    [ "$(field "$out" running)" = False ] && [ "$(field "$out" processes)" = 0 ] || fail "status after stop: $out"
    out=$(driver stop ev)
    [ "$(field "$out" stopped)" = False ] || fail "stop twice: $out"
    driver logs ev 1 | grep -q 'cc-mcp: stopped$' || fail "log end: $(driver logs ev 3)"
}

case_the_port_stays() {
    write_config ev node "$everything_js" stdio
    local first second
    first=$(driver start "$WORK/mcp.json" ev) || { fail "start: $(cat "$WORK/driver.err")"; return; }
    driver stop ev >/dev/null
    second=$(driver start "$WORK/mcp.json" ev) || { fail "start: $(cat "$WORK/driver.err")"; return; }
    [ "$(field "$first" port)" = "$(field "$second" port)" ] || fail "port changed: $first / $second"
    probe "$(field "$second" url)" || fail "probe: $(cat "$WORK/probe.out")"
    # A changed config replaces the running one.
    write_config ev node "$everything_js" stdio extra-arg
    second=$(driver start "$WORK/mcp.json" ev) || fail "start changed: $(cat "$WORK/driver.err")"
    [ "$(field "$second" replaced)" = True ] || fail "not replaced: $second"
    driver stop ev >/dev/null
}

case_a_killed_supervisor_leaves_nothing_behind_at_the_next_start() {
    write_config ev node "$everything_js" stdio
    local out pid url
    out=$(driver start "$WORK/mcp.json" ev) || { fail "start: $(cat "$WORK/driver.err")"; return; }
    pid=$(field "$out" pid)
    url=$(field "$out" url)
    probe "$url" || fail "probe: $(cat "$WORK/probe.out")"
    kill -9 "$pid"
    wait_for 10 sh -c "\"$DRIVER\" status ev | grep -q '\"running\":false'" ||
        fail "still running after kill -9: $(driver status ev)"
    out=$(driver status ev)
    [ "$(field "$out" running)" = False ] || fail "running without a supervisor: $out"
    [ "$(field "$out" processes)" -ge 1 ] || fail "the orphaned bridge is not counted: $out"
    out=$(driver start "$WORK/mcp.json" ev) || fail "start after the kill: $(cat "$WORK/driver.err")"
    [ -z "$(session_members "$pid")" ] || fail "the old session lives on: $(session_members "$pid")"
    probe "$(field "$out" url)" || fail "probe: $(cat "$WORK/probe.out")"
    driver stop ev >/dev/null
    [ -z "$(session_members "$(field "$out" pid)")" ] || fail "left after stop"
}

case_command_not_on_path() {
    write_config github cc-mcp-no-such-npx @modelcontextprotocol/server-github
    if driver start "$WORK/mcp.json" github >/dev/null; then fail "started"; fi
    grep -qxF 'cc-mcp: error: "github": command "cc-mcp-no-such-npx" not found on PATH (install it, or give its full path)' "$WORK/driver.err" ||
        fail "message: $(cat "$WORK/driver.err")"
    [ ! -e "$CC_MCP_HOME/run/github.pid" ] || fail "a pid file was left"
}

case_port_taken() {
    write_config ev node "$everything_js" stdio
    local out port
    out=$(driver start "$WORK/mcp.json" ev) || { fail "start: $(cat "$WORK/driver.err")"; return; }
    port=$(field "$out" port)
    driver stop ev >/dev/null
    python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' "$port" &
    local squatter=$!
    wait_for 5 sh -c "ss -ltn | grep -q '127.0.0.1:$port '"
    if driver start "$WORK/mcp.json" ev >/dev/null; then fail "started on a taken port"; fi
    grep -qF "cc-mcp: error: \"ev\": port $port on 127.0.0.1 is taken by another process" "$WORK/driver.err" ||
        fail "message: $(cat "$WORK/driver.err")"
    kill "$squatter"
    wait "$squatter" 2>/dev/null || true
}

run_cases() {
    local name
    for name in $(grep -o '^case_[A-Za-z0-9_]*()' "$0" | tr -d '()'); do
        [ -z "$FILTER" ] || [[ $name == *"$FILTER"* ]] || continue
        CASE_FAILED=0
        WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-mcp-external.XXXXXX")
        export CC_MCP_HOME=$WORK/home
        local start=$SECONDS
        (cd "$WORK" && $name) || [ -s "$WORK/failures" ] || fail "the case stopped early"
        # Whatever a failed case left running.
        for pidfile in "$CC_MCP_HOME"/run/*.pid; do
            [ -f "$pidfile" ] && "$DRIVER" stop "$(basename "$pidfile" .pid)" >/dev/null 2>&1
        done
        [ ! -s "$WORK/failures" ] || CASE_FAILED=1
        if [ "$CASE_FAILED" = 0 ]; then
            PASSED=$((PASSED + 1))
            echo "  ok   $name ($((SECONDS - start)) s)"
        else
            FAILED=$((FAILED + 1))
            echo "  FAIL $name"
            tail -20 "$CC_MCP_HOME"/logs/*.log 2>/dev/null | sed 's/^/    log: /' >&2
        fi
        rm -rf "$WORK"
    done
    echo "external_test: $PASSED passed, $FAILED failed"
    [ "$FAILED" = 0 ]
}

run_cases
