# Helpers of the runtime suites (sourced after tests/blackbox/lib.bash):
# the Docker engine, unique names, tiny fixture images, MCP over curl.
#
# Every server of one run is named t-rt-PID-..., so its container is
# mcp-t-rt-PID-... and its built images cc-mcp/t-rt-PID-...; the end of the
# run removes exactly those (two runs at once, normal and ASan, never meet).

RT_PREFIX="t-rt-$$"
RT_FIXTURE="cc-mcp-test/$RT_PREFIX-fixture:1"
RT_CRASH="cc-mcp-test/$RT_PREFIX-crash:1"

rt_fail_suite() {
    echo "FAIL: $*"
    echo "$(basename "$0" .bash): 0 passed, 1 failed"
    exit 1
}

# rt_require_engine: a missing engine is a failure, never a silent pass.
rt_require_engine() {
    docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
        rt_fail_suite "no Docker engine answers (scripts/setup starts one); the runtime tests need it"
    trap 'rt_cleanup; bb_cleanup' EXIT
}

# rt_remove_containers: this run's containers (servers, gateways, probes)
# and networks (each server has one; Docker has room for about thirty, and
# ctest runs two suites at once): after every case, and at the end.
rt_remove_containers() {
    local ids
    ids=$(docker ps -aq --filter "name=mcp-$RT_PREFIX-" 2>/dev/null)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
    ids=$(docker ps -aq --filter "name=$RT_PREFIX-" 2>/dev/null)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
    ids=$(docker network ls -q --filter "name=$RT_PREFIX-" 2>/dev/null)
    [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1
    return 0
}
bb_case_teardown() { rt_remove_containers; }

rt_cleanup() {
    local ids
    rt_remove_containers
    for ref in "cc-mcp/$RT_PREFIX-*" "cc-mcp-test/$RT_PREFIX-*"; do
        ids=$(docker images -q --filter "reference=$ref" 2>/dev/null | sort -u)
        [ -z "$ids" ] || docker rmi -f $ids >/dev/null 2>&1
    done
    [ -z "${RT_WORK:-}" ] || rm -rf "$RT_WORK"
    return 0
}

# rt_fixture_images BRIDGE FAKE_SERVER: two images made of nothing but the
# static bridge and the static fake MCP server (seconds to make):
#   $RT_FIXTURE  the bridge serving the fake server (mcp.json args reach it)
#   $RT_CRASH    an entrypoint that exits at once, saying why on stderr
# Both say they hold the bridge, so cc-mcp runs them as they are.
rt_fixture_images() {
    local bridge=$1 fake=$2
    [ -x "$bridge" ] || rt_fail_suite "no bridge binary at $bridge"
    [ -x "$fake" ] || rt_fail_suite "no fake MCP server at $fake"
    RT_WORK=$(mktemp -d)
    mkdir -p "$RT_WORK/root/tmp"
    cp "$bridge" "$RT_WORK/root/cc-mcp-bridge"
    cp "$fake" "$RT_WORK/root/fake_mcp_server"
    strip "$RT_WORK/root/cc-mcp-bridge" "$RT_WORK/root/fake_mcp_server" 2>/dev/null
    tar -C "$RT_WORK/root" -c . | docker import \
        -c 'ENTRYPOINT ["/cc-mcp-bridge","--host","0.0.0.0","--port","3000","--","/fake_mcp_server"]' \
        -c 'LABEL dev.cc-mcp.bridge=true' -c 'LABEL dev.cc-mcp.version=0.0.1-fixture' \
        -c 'LABEL dev.cc-mcp.bridge-env="CC_MCP_ENV_FILE CC_MCP_AUDIT_FILE"' \
        - "$RT_FIXTURE" >/dev/null || rt_fail_suite "docker import of the fixture image failed"
    tar -C "$RT_WORK/root" -c . | docker import \
        -c 'ENTRYPOINT ["/cc-mcp-bridge","--port","not-a-port","--","/fake_mcp_server"]' \
        -c 'LABEL dev.cc-mcp.bridge=true' \
        - "$RT_CRASH" >/dev/null || rt_fail_suite "docker import of the crash image failed"
}

rt_name() { echo "$RT_PREFIX-$1"; }

# A server's port, as state keeps it.
rt_port() {
    "$BB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["servers"][sys.argv[2]]["port"])' \
        "$tmp/home/state/servers.json" "$1"
}

# rt_inspect NAME FORMAT: docker inspect of the server's container.
rt_inspect() { docker inspect -f "$2" "mcp-$1" 2>/dev/null; }

# status_json_of NAME EXPR: EXPR over the server's entry `s` of status --json.
status_of() {
    run_ccmcp status --json "$1"
    "$BB_PYTHON" -c 'import json, sys; s = json.load(open(sys.argv[1]))["servers"][0]; print(eval(sys.argv[2]))' \
        "$BB_ROOT/out/stdout" "$2"
}

# mcp_call URL METHOD PARAMS_JSON: initialize, then METHOD; prints the
# answer's body (JSON or SSE). Ends the session.
mcp_call() {
    local url=$1 method=$2 params=$3
    local headers=(-H 'Accept: application/json, text/event-stream' -H 'Content-Type: application/json')
    local sid
    sid=$(curl -s -i --max-time 20 "${headers[@]}" --data-binary \
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' \
        "$url" | grep -i '^mcp-session-id:' | awk '{print $2}' | tr -d '\r')
    [ -n "$sid" ] || return 1
    curl -s --max-time 10 "${headers[@]}" -H "Mcp-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-06-18' \
        --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$url" >/dev/null
    curl -s --max-time 20 "${headers[@]}" -H "Mcp-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-06-18' \
        --data-binary "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"$method\",\"params\":$params}" "$url"
    curl -s --max-time 5 -X DELETE -H "Mcp-Session-Id: $sid" "$url" >/dev/null
}

# wait_for CONDITION_COMMAND SECONDS: polls every 0.2 s.
wait_for() {
    local i
    for i in $(seq 1 $(($2 * 5))); do
        if eval "$1"; then return 0; fi
        sleep 0.2
    done
    return 1
}

# run_net ARGS...: cc-mcp with what the host's npm needs to reach its
# registry here (proxies, extra CA certificates; the black-box environment
# drops them) and a shared npm cache (npm fetches once).
run_net() {
    local pass=(npm_config_cache="${CC_MCP_TEST_NPM_CACHE:-/var/tmp/cc-mcp-test-npm-cache}") var
    for var in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR http_proxy https_proxy no_proxy \
        HTTP_PROXY HTTPS_PROXY NO_PROXY npm_config_registry; do
        [ -z "${!var:-}" ] || pass+=("$var=${!var}")
    done
    run_ccmcp "${pass[@]}" "$@"
}

# expect_inspect NAME 'FORMAT=EXPECTED'...: each docker inspect format of the
# server's container gives exactly EXPECTED.
expect_inspect() {
    local name=$1 check actual
    shift
    for check; do
        actual=$(rt_inspect "$name" "${check%%=*}")
        [ "$actual" = "${check#*=}" ] || fail "${check%%=*} is $actual, not ${check#*=}"
    done
}
