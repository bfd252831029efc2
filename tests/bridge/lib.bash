# Shared by the bridge suites: start a bridge on a free loopback port, talk
# to it with curl, check, stop it. Every case gets a fresh bridge.
#   source lib.bash; bridge_init "$@"   # $1 cc-mcp-bridge, $2 fake_mcp_server
#   case_x() { start_bridge [BRIDGE OPTIONS] -- CHILD...; ...; }
#   run_cases

BRIDGE=
FAKE=
PASSED=0
FAILED=0
WORK=
BRIDGE_PID=
PORT=
URL=

bridge_init() {
    BRIDGE=$(readlink -f "$1")
    FAKE=$(readlink -f "$2")
    FILTER=${3:-}
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-mcp-bridge-test.XXXXXX")
    trap 'stop_bridge; rm -rf "$WORK"' EXIT
}

fail() {
    echo "    FAIL: $*" >&2
    CASE_FAILED=1
}

# A port nothing listens on now (the kernel picks it; the race is harmless
# in a test that retries nothing).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_bridge() {
    PORT=$(free_port)
    URL="http://127.0.0.1:$PORT"
    "$BRIDGE" --port "$PORT" "$@" >"$WORK/bridge.log" 2>&1 &
    BRIDGE_PID=$!
    local i
    for i in $(seq 1 100); do
        curl -s "$URL/healthz" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    fail "the bridge did not come up: $(cat "$WORK/bridge.log")"
    return 1
}

stop_bridge() {
    if [ -n "$BRIDGE_PID" ] && kill -0 "$BRIDGE_PID" 2>/dev/null; then
        kill -TERM "$BRIDGE_PID"
        wait "$BRIDGE_PID" 2>/dev/null
    fi
    BRIDGE_PID=
}

bridge_alive() { kill -0 "$BRIDGE_PID" 2>/dev/null; }

# post BODY [CURL ARGS...]: POST to /mcp; prints the whole response
# (headers and body) into $WORK/resp and sets STATUS.
post() {
    local body=$1
    shift
    rm -f "$WORK/resp"
    curl -s -i -o "$WORK/resp" --max-time 30 -H 'Expect:' \
        -H 'Accept: application/json, text/event-stream' -H 'Content-Type: application/json' \
        "$@" --data-binary "$body" "$URL/mcp"
    read_status
}

# raw_post BODY [CURL ARGS...]: as post, with no headers but those given.
raw_post() {
    local body=$1
    shift
    rm -f "$WORK/resp"
    curl -s -i -o "$WORK/resp" --max-time 30 -H 'Expect:' "$@" --data-binary "$body" "$URL/mcp"
    read_status
}

# A reply curl could not read leaves no file (not the last case's reply).
read_status() {
    STATUS=$(head -1 "$WORK/resp" 2>/dev/null | awk '{print $2}')
    [ -n "$STATUS" ] || STATUS=none
}

# initialize: starts a session, sets SID.
initialize() {
    post '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}' "$@"
    SID=$(grep -i '^mcp-session-id:' "$WORK/resp" | awk '{print $2}' | tr -d '\r')
    [ -n "$SID" ] || fail "initialize gave no session: $(cat "$WORK/resp")"
    post '{"jsonrpc":"2.0","method":"notifications/initialized"}' -H "Mcp-Session-Id: $SID" "$@"
}

call_tool() {  # call_tool ID NAME ARGS_JSON [CURL ARGS]
    local id=$1 name=$2 args=$3
    shift 3
    post "{\"jsonrpc\":\"2.0\",\"id\":$id,\"method\":\"tools/call\",\"params\":{\"name\":\"$name\",\"arguments\":$args}}" \
        -H "Mcp-Session-Id: $SID" "$@"
}

body() { sed '1,/^\r$/d' "$WORK/resp"; }

expect_status() {
    [ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS: $(head -c 600 "$WORK/resp")"
}

expect_body_contains() {
    grep -qF -- "$1" <(body) || fail "expected the body to contain $1, got: $(body | head -c 600)"
}

children_of() { pgrep -P "$1" 2>/dev/null | wc -l; }

run_cases() {
    local name
    for name in $(grep -o '^case_[A-Za-z0-9_]*()' "$0" | tr -d '()'); do
        [ -z "$FILTER" ] || [[ $name == *"$FILTER"* ]] || continue
        CASE_FAILED=0
        local start=$SECONDS
        $name
        stop_bridge
        if [ "$CASE_FAILED" = 0 ]; then
            PASSED=$((PASSED + 1))
            echo "  ok   $name ($((SECONDS - start)) s)"
        else
            FAILED=$((FAILED + 1))
            echo "  FAIL $name"
            sed 's/^/    bridge: /' "$WORK/bridge.log" | tail -20 >&2
        fi
    done
    echo "$(basename "$0" .bash): $PASSED passed, $FAILED failed"
    [ "$FAILED" = 0 ]
}
