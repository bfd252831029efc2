# `cc-mcp connect` under the official SDK's StdioClientTransport, against
# cc-mcp-bridge serving server-everything, with a restart of the bridge in
# the middle (see connect_client.mjs).
# usage: bash connect_test.bash CC_MCP CC_MCP_BRIDGE [BENCH_PINGS]
CCMCP=$(readlink -f "$1")
BRIDGE=$(readlink -f "$2")
BENCH=${3:-0}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../fixtures.bash"
need_fixtures connect_test
fixtures=$FIXTURES
everything_js=$EVERYTHING_JS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cc-mcp-connect.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/home/state" "$WORK/project"
echo "{\"servers\": {\"ev\": {\"port\": $port}}}" >"$WORK/home/state/servers.json"
# The config: connect checks the name; how ev runs is the bridge's business here.
echo '{"mcpServers": {"ev": {"command": "node", "args": ["server-everything"]}}}' >"$WORK/project/mcp.json"

cd "$WORK/project" || exit 1
if timeout 300 node "$here/connect_client.mjs" --cc-mcp "$CCMCP" --config "$WORK/project/mcp.json" \
    --home "$WORK/home" --name ev --bridge "$BRIDGE" --port "$port" --server-js "$everything_js" \
    --fixtures "$fixtures" --bench "$BENCH" >"$WORK/out" 2>"$WORK/err"; then
    sed 's/^/  /' "$WORK/out"
    echo "connect_test: $(grep -c '"ok":true' "$WORK/out") steps passed, 0 failed"
    exit 0
fi
sed 's/^/  /' "$WORK/out"
sed 's/^/  stderr: /' "$WORK/err" | tail -40
echo "connect_test: $(grep -c '"ok":false' "$WORK/out") steps failed (or the client stopped early)"
exit 1
