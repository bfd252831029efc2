# cc-mcp-bridge has no shared libraries at all: it runs in an image that
# holds nothing but itself and a (static) server, hardened as cc-mcp runs
# containers, reached through a port published on 127.0.0.1 only.
# usage: bash static_image_test.bash CC_MCP_BRIDGE FAKE_MCP_SERVER
set -euo pipefail
bridge=$(readlink -f "$1")
fake=$(readlink -f "$2")
tag="cc-mcp-test/bridge-scratch:$$"
work=$(mktemp -d)
container=
cleanup() {
    [ -z "$container" ] || docker rm -f "$container" >/dev/null 2>&1 || true
    docker rmi -f "$tag" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    [ -z "$container" ] || docker logs "$container" 2>&1 | tail -20 >&2
    echo "static_image_test: 0 passed, 1 failed"
    exit 1
}

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    fail "no Docker engine answers (scripts/setup starts one)"
if ldd "$bridge" >/dev/null 2>&1; then fail "$bridge is dynamically linked: $(ldd "$bridge")"; fi

mkdir -p "$work/root/tmp"
cp "$bridge" "$work/root/cc-mcp-bridge"
cp "$fake" "$work/root/fake_mcp_server"
strip "$work/root/cc-mcp-bridge" "$work/root/fake_mcp_server"
tar -C "$work/root" -c . | docker import -c 'ENTRYPOINT ["/cc-mcp-bridge"]' - "$tag" >/dev/null

container=$(docker run -d --read-only --cap-drop ALL --security-opt no-new-privileges \
    --user 1001:1001 --pids-limit 64 --memory 64m -p 127.0.0.1::3000 "$tag" \
    --host 0.0.0.0 --port 3000 -- /fake_mcp_server)
port=$(docker port "$container" 3000/tcp | head -1 | sed 's/.*://')
[ -n "$port" ] || fail "no published port"
docker port "$container" 3000/tcp | grep -q '^127.0.0.1:' || fail "published beyond 127.0.0.1"

ok=
for _ in $(seq 1 100); do
    if curl -s "http://127.0.0.1:$port/healthz" | grep -q '"ok"'; then ok=1; break; fi
    sleep 0.1
done
[ -n "$ok" ] || fail "the bridge in the container never answered /healthz"

headers=(-H 'Accept: application/json, text/event-stream' -H 'Content-Type: application/json')
sid=$(curl -s -i "${headers[@]}" --data-binary \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' \
    "http://127.0.0.1:$port/mcp" | grep -i '^mcp-session-id:' | awk '{print $2}' | tr -d '\r')
[ -n "$sid" ] || fail "initialize through the published port failed"
answer=$(curl -s "${headers[@]}" -H "Mcp-Session-Id: $sid" --data-binary \
    '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"from scratch"}}}' \
    "http://127.0.0.1:$port/mcp")
[[ $answer == *'"text":"from scratch"'* ]] || fail "tools/call answered: $answer"

docker exec "$container" /cc-mcp-bridge --healthcheck --port 3000 >/dev/null 2>&1 ||
    fail "the bridge's own --healthcheck failed inside the container"

size=$(stat -c %s "$work/root/cc-mcp-bridge")
echo "static bridge: $((size / 1024)) KiB stripped; served MCP from an empty image as uid 1001, read-only, no capabilities"
echo "static_image_test: 1 passed, 0 failed"
