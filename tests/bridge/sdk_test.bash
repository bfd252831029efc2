# The bridge with real programs: the reference servers from npm behind it,
# the official TypeScript SDK client in front (Streamable HTTP and the old
# HTTP+SSE transport), and the MCP conformance suite's server scenarios.
# usage: bash sdk_test.bash CC_MCP_BRIDGE [PATTERN]
# Needs the npm fixtures (scripts/npm-fixtures; scripts/setup runs it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bridge_init "$1" /bin/true "${2:-}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures=${CC_MCP_FIXTURES:-$here/../../.cache/npm-fixtures}
NM=$fixtures/node_modules
everything=(node "$NM/@modelcontextprotocol/server-everything/dist/index.js" stdio)
if [ ! -f "$NM/@modelcontextprotocol/server-everything/dist/index.js" ]; then
    echo "sdk_test: the npm fixtures are missing in $fixtures (run scripts/npm-fixtures)" >&2
    echo "sdk_test: 0 passed, 1 failed"
    exit 1
fi

client() {  # client TRANSPORT SCENARIO [ARGS...]
    local transport=$1 scenario=$2 path=/mcp
    shift 2
    [ "$transport" = sse ] && path=/sse
    if ! timeout 90 node "$here/client.mjs" --url "$URL$path" --transport "$transport" \
        --scenario "$scenario" "$@" >"$WORK/client.out" 2>&1; then
        fail "$scenario over $transport: $(tail -c 800 "$WORK/client.out")"
    fi
}

case_sdk_scenarios_per_session_children() {
    start_bridge -- "${everything[@]}" || return
    local transport scenario
    for transport in streamable sse; do
        for scenario in basic progress sampling elicitation roots; do
            client "$transport" "$scenario"
        done
    done
}

case_sdk_scenarios_one_shared_child() {
    start_bridge --shared -- "${everything[@]}" || return
    local transport scenario
    for transport in streamable sse; do
        for scenario in basic progress sampling elicitation; do
            client "$transport" "$scenario"
        done
    done
    [ "$(children_of "$BRIDGE_PID")" -le 1 ] || fail "--shared ran $(children_of "$BRIDGE_PID") children"
}

case_filesystem_server_reads_a_file() {
    mkdir -p "$WORK/files"
    echo "hello through the bridge" >"$WORK/files/note.txt"
    start_bridge -- node "$NM/@modelcontextprotocol/server-filesystem/dist/index.js" "$WORK/files" || return
    client streamable filesystem --file "$WORK/files/note.txt" --expect "hello through the bridge"
    client sse filesystem --file "$WORK/files/note.txt" --expect "hello through the bridge"
}

case_conformance_server_scenarios() {
    start_bridge -- "${everything[@]}" || return
    if ! timeout 300 bash "$here/conformance.sh" "$URL/mcp" >"$WORK/conformance.out" 2>&1; then
        fail "conformance: $(grep -E 'FAIL|conformance:' "$WORK/conformance.out" | head -20)"
    fi
    grep 'conformance:' "$WORK/conformance.out" | sed 's/^/    /'
}

run_cases
