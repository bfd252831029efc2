#!/usr/bin/env bash
# Runs every client.mjs scenario and the conformance subset against the peer
# stdio->HTTP bridges (supergateway, mcp-proxy), to validate the test tools
# and to have a baseline for cc-mcp-bridge.
#
#   tests/bridge/peers.sh [supergateway|mcp-proxy|all]   (default: all)
#
# Everything listens on 127.0.0.1 only (ports $PEERS_PORT.. , default 18001).
# Prints PASS/FAIL/XFAIL per check and "peers: N passed, N failed"; XFAIL is
# a failure that the peer is known to have (see EXPECTED_FAILURES) and does
# not count. Set KEEP_LOGS=1 to keep the peers' logs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
FIXTURES=${CC_MCP_FIXTURES:-$REPO/.cache/npm-fixtures}
NM=$FIXTURES/node_modules
EVERYTHING="node $NM/@modelcontextprotocol/server-everything/dist/index.js stdio"
FILESYSTEM="node $NM/@modelcontextprotocol/server-filesystem/dist/index.js"
# supergateway takes the child as one shell command line (--stdio "..."),
# mcp-proxy as argv after "--".
EVERYTHING_ARGV=(node "$NM/@modelcontextprotocol/server-everything/dist/index.js" stdio)
FILESYSTEM_ARGV=(node "$NM/@modelcontextprotocol/server-filesystem/dist/index.js")
SUPERGATEWAY=(node --require "$HERE/loopback-only.cjs" "$NM/supergateway/dist/index.js")
MCP_PROXY=(node "$NM/mcp-proxy/dist/bin/mcp-proxy.mjs" --host 127.0.0.1)
BASE=${PEERS_PORT:-18001}

# "peer transport check" entries that fail for a known reason in the peer.
# mcp-proxy is an MCP client of its child itself (declaring no capabilities)
# and terminates the protocol, so server-everything never registers its
# sampling/elicitation/roots tools and no server->client request is relayed.
# Neither peer validates Host/Origin (DNS rebinding), which the bridge must.
EXPECTED_FAILURES="
mcp-proxy streamable sampling
mcp-proxy streamable elicitation
mcp-proxy streamable roots
mcp-proxy sse sampling
mcp-proxy sse elicitation
mcp-proxy sse roots
supergateway streamable conformance:dns-rebinding-protection
mcp-proxy streamable conformance:dns-rebinding-protection
"

"$REPO/scripts/npm-fixtures" >/dev/null
WORK=$(mktemp -d /tmp/cc-mcp-peers.XXXXXX)
PIDS=()
cleanup() {
  local pid _
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

mkdir -p "$WORK/root"
printf 'hello from the cc-mcp-bridge test\nsecond line: \xe2\x9c\x93\n' >"$WORK/root/hello.txt"

start() { # name port command...  (own process group, so the child dies too)
  local name=$1 port=$2; shift 2
  setsid "$@" >"$WORK/$name.log" 2>&1 </dev/null &
  PIDS+=($!)
  disown
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "peers.sh: $name did not listen on 127.0.0.1:$port; log:" >&2
  cat "$WORK/$name.log" >&2
  return 1
}

pass=0 fail=0 xfail=0
record() { # peer transport check rc detail
  local key="$1 $2 $3" verdict
  if [ "$4" = 0 ]; then verdict=PASS; pass=$((pass + 1))
  elif grep -qxF "$key" <<<"$EXPECTED_FAILURES"; then verdict=XFAIL; xfail=$((xfail + 1))
  else verdict=FAIL; fail=$((fail + 1)); fi
  printf '%-5s %-12s %-10s %-40s %s\n' "$verdict" "$1" "$2" "$3" "$5"
}

run_client() { # peer transport url scenario [args...]
  local peer=$1 transport=$2 url=$3 scenario=$4 out rc=0; shift 4
  out=$(timeout 120 node "$HERE/client.mjs" --url "$url" --transport "$transport" --scenario "$scenario" "$@" 2>/dev/null) || rc=$?
  local detail
  detail=$(node -e 'try { const j = JSON.parse(process.argv[1]); console.log(j.ok ? "" : String(j.error).slice(0, 160)); } catch { console.log(process.argv[1].slice(0, 160)); }' "$out")
  record "$peer" "$transport" "$scenario" "$rc" "$detail"
}

run_conformance() { # peer url
  local line s verdict
  while read -r line; do
    case "$line" in
      PASS*|FAIL*)
        read -r verdict s _ <<<"$line"
        record "$1" streamable "conformance:$s" "$([ "$verdict" = PASS ] && echo 0 || echo 1)" \
          "$(cut -d' ' -f4- <<<"$line" | cut -c1-120)" ;;
    esac
  done < <("$HERE/conformance.sh" "$2" || true)
}

scenarios() { # peer transport everything-url filesystem-url
  for s in basic progress sampling elicitation roots; do run_client "$1" "$2" "$3" "$s"; done
  run_client "$1" "$2" "$4" filesystem --file "$WORK/root/hello.txt"
}

peer_supergateway() {
  local p=$BASE
  start sg-everything-http "$p" "${SUPERGATEWAY[@]}" --stdio "$EVERYTHING" --outputTransport streamableHttp --stateful --port "$p"
  start sg-everything-sse $((p + 1)) "${SUPERGATEWAY[@]}" --stdio "$EVERYTHING" --outputTransport sse --port $((p + 1))
  start sg-filesystem-http $((p + 2)) "${SUPERGATEWAY[@]}" --stdio "$FILESYSTEM $WORK/root" --outputTransport streamableHttp --stateful --port $((p + 2))
  start sg-filesystem-sse $((p + 3)) "${SUPERGATEWAY[@]}" --stdio "$FILESYSTEM $WORK/root" --outputTransport sse --port $((p + 3))
  scenarios supergateway streamable "http://127.0.0.1:$p/mcp" "http://127.0.0.1:$((p + 2))/mcp"
  scenarios supergateway sse "http://127.0.0.1:$((p + 1))/sse" "http://127.0.0.1:$((p + 3))/sse"
  run_conformance supergateway "http://127.0.0.1:$p/mcp"
}

peer_mcp_proxy() {
  local p=$((BASE + 10))
  # One process serves both transports: /mcp and /sse (+ /messages).
  start mp-everything "$p" "${MCP_PROXY[@]}" --port "$p" -- "${EVERYTHING_ARGV[@]}"
  start mp-filesystem $((p + 1)) "${MCP_PROXY[@]}" --port $((p + 1)) -- "${FILESYSTEM_ARGV[@]}" "$WORK/root"
  scenarios mcp-proxy streamable "http://127.0.0.1:$p/mcp" "http://127.0.0.1:$((p + 1))/mcp"
  scenarios mcp-proxy sse "http://127.0.0.1:$p/sse" "http://127.0.0.1:$((p + 1))/sse"
  run_conformance mcp-proxy "http://127.0.0.1:$p/mcp"
}

case "${1:-all}" in
  supergateway) peer_supergateway ;;
  mcp-proxy) peer_mcp_proxy ;;
  all) peer_supergateway; peer_mcp_proxy ;;
  *) echo "usage: $0 [supergateway|mcp-proxy|all]" >&2; exit 2 ;;
esac
echo "expected failures (XFAIL): $xfail"
echo "peers: $pass passed, $fail failed"
[ "$fail" = 0 ]
