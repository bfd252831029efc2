# Helpers of the image suites: the Docker engine, unique names, and an MCP
# exchange with an image run as the runtime runs it. Sourced after
# tests/blackbox/lib.bash (whose run_ccmcp, fail, expect_* they use).

# Every image and container of one run carries this prefix, so that two runs
# (the normal and the ASan variant at once) never meet, and the end of the
# run removes exactly what it made.
IMG_PREFIX="t-img-$$"
IMG_FIXTURES="$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)"
IMG_NPM_CACHE="${CC_MCP_TEST_NPM_CACHE:-/var/tmp/cc-mcp-test-npm-cache}"

img_require_engine() {
    if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        echo "FAIL: no Docker engine answers (scripts/setup starts one); the image tests need it"
        echo "$(basename "$0" .bash): 0 passed, 1 failed"
        exit 1
    fi
    for base in cc-mcp/node:18 cc-mcp/python:3.11 cc-mcp/node-build:18; do
        if ! docker image inspect "$base" >/dev/null 2>&1; then
            echo "FAIL: the local base image $base is missing (scripts/base-images makes it)"
            echo "$(basename "$0" .bash): 0 passed, 1 failed"
            exit 1
        fi
    done
    mkdir -p "$IMG_NPM_CACHE"
    trap 'img_cleanup; bb_cleanup' EXIT
}

# Removes the containers and images of this run (by name prefix and label).
img_cleanup() {
    local ids
    ids=$(docker ps -aq --filter "name=$IMG_PREFIX" 2>/dev/null)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
    # The servers' networks (Docker has room for about thirty).
    ids=$(docker network ls -q --filter "name=cc-mcp-$IMG_PREFIX" 2>/dev/null)
    [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1
    ids=$(docker images -q --filter "reference=cc-mcp/$IMG_PREFIX-*" 2>/dev/null | sort -u)
    [ -z "$ids" ] || docker rmi -f $ids >/dev/null 2>&1
    ids=$(docker images -q --filter "reference=cc-mcp-test/$IMG_PREFIX-*" 2>/dev/null | sort -u)
    [ -z "$ids" ] || docker rmi -f $ids >/dev/null 2>&1
    return 0
}

# run_img ARGS...: cc-mcp with the shared npm cache (npm fetches once), and
# what the host's npm and pip need to reach their registries here (proxies,
# extra CA certificates), which the black-box environment would drop.
run_img() {
    local pass=(npm_config_cache="$IMG_NPM_CACHE") var
    for var in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR PIP_CERT REQUESTS_CA_BUNDLE \
        http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY npm_config_registry; do
        [ -z "${!var:-}" ] || pass+=("$var=${!var}")
    done
    run_ccmcp "${pass[@]}" "$@"
}

# image_id REF: the engine's id of REF, or nothing.
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null; }
label_of() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null; }
# The tags of the server's images ("cc-mcp/NAME:1.2.3"), sorted.
tags_of() {
    docker images --format '{{.Repository}}:{{.Tag}}' --filter "reference=cc-mcp/$1" | sort
}

# mcp_session IMAGE ARGS...: runs IMAGE hardened as the runtime runs it, with
# no network at all (the published-port way is checked once, in its own
# case), and talks MCP to the bridge from inside the container's network
# namespace: initialize, then tools/list. Leaves the answers in
# $BB_ROOT/out/initialize and .../tools.
mcp_session() {
    local image=$1
    shift
    local name="$IMG_PREFIX-run-$RANDOM"
    local cid
    cid=$(docker run -d --name "$name" --network none --read-only --tmpfs /tmp --cap-drop ALL \
        --security-opt no-new-privileges --user 1001:1001 --pids-limit 64 "$image" "$@") ||
        { fail "docker run $image failed"; return 1; }
    local pid
    pid=$(docker inspect -f '{{.State.Pid}}' "$cid")
    mcp_exchange nsenter -t "$pid" -n -- curl -s --max-time 10 http://127.0.0.1:3000/mcp
    local ok=$?
    [ $ok -eq 0 ] || docker logs "$cid" 2>&1 | tail -20 | sed 's/^/  log| /' >>"$BB_ROOT/failures"
    docker rm -f "$cid" >/dev/null
    return $ok
}

# mcp_exchange CURL...: initialize and tools/list through CURL (a curl
# command line ending in the /mcp URL, to which the request options are
# added); waits for the bridge to answer first.
mcp_exchange() {
    local headers=(-H 'Accept: application/json, text/event-stream' -H 'Content-Type: application/json')
    local init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"cc-mcp-image-test","version":"1"}}}'
    local sid="" i
    for i in $(seq 1 100); do
        "$@" -i "${headers[@]}" --data-binary "$init" >"$BB_ROOT/out/initialize" 2>/dev/null || true
        sid=$(grep -i '^mcp-session-id:' "$BB_ROOT/out/initialize" | awk '{print $2}' | tr -d '\r')
        [ -n "$sid" ] && break
        sleep 0.1
    done
    if [ -z "$sid" ]; then
        fail "no answer to initialize through the bridge: $(tail -c 300 "$BB_ROOT/out/initialize")"
        return 1
    fi
    "$@" "${headers[@]}" -H "Mcp-Session-Id: $sid" \
        --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
    "$@" "${headers[@]}" -H "Mcp-Session-Id: $sid" \
        --data-binary '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' >"$BB_ROOT/out/tools"
    if ! grep -q '"tools"' "$BB_ROOT/out/tools"; then
        fail "tools/list answered: $(head -c 300 "$BB_ROOT/out/tools")"
        return 1
    fi
}

# expect_tool NAME: tools/list of the last session named it.
expect_tool() {
    grep -Eq "\"name\": ?\"$1\"" "$BB_ROOT/out/tools" ||
        fail "tools/list lacks $1: $(head -c 300 "$BB_ROOT/out/tools")"
}
# expect_server_info TEXT: the initialize answer holds TEXT.
expect_server_info() {
    grep -qF "$1" "$BB_ROOT/out/initialize" ||
        fail "initialize lacks $1: $(tail -c 300 "$BB_ROOT/out/initialize")"
}

# expect_contract IMAGE: the image contract, from the engine's own view.
expect_contract() {
    local image=$1 got
    got=$(docker image inspect -f '{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.ExposedPorts}}|{{json .Config.Healthcheck.Test}}|{{index .Config.Entrypoint 0}}' "$image")
    [ "$got" = '1001:1001|/app|{"3000/tcp":{}}|["CMD","/usr/local/bin/cc-mcp-bridge","--healthcheck","--port","3000"]|/usr/local/bin/cc-mcp-bridge' ] ||
        [ "${2:-}" = any-workdir ] || fail "$image breaks the image contract: $got"
    local key
    for key in org.opencontainers.image.source org.opencontainers.image.revision \
        org.opencontainers.image.version org.opencontainers.image.created dev.cc-mcp.name \
        dev.cc-mcp.source dev.cc-mcp.version dev.cc-mcp.context-digest; do
        [ -n "$(label_of "$image" "$key")" ] || fail "$image has no label $key"
    done
    [ "$(label_of "$image" dev.cc-mcp.bridge)" = true ] || fail "$image: dev.cc-mcp.bridge is not true"
}

# silent_host: a listener on 127.0.0.1 that takes connections and never says
# a word (for 60 s at most): a git host that libgit2 alone would wait on for
# ever. Sets SILENT_PORT and SILENT_PID (kill it when done).
silent_host() {
    python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); s.settimeout(1)
print(s.getsockname()[1], flush=True)
held, deadline = [], time.time() + 60
while time.time() < deadline:
    try: held.append(s.accept()[0])
    except OSError: pass
' >"$tmp/silent.port" &
    SILENT_PID=$!
    local _
    for _ in $(seq 50); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
    SILENT_PORT=$(cat "$tmp/silent.port")
}
