#!/usr/bin/env bash
# Builds the cc-mcp-bridge libFuzzer targets with clang++ and runs each one.
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS]
#
# Binaries, corpora (seeded here with a few valid inputs), dictionaries, logs
# and crash artifacts go to BUILD_DIR/fuzz. A target is rebuilt only when one
# of its sources (or this script, which holds the flags) is newer. Each target
# runs SECONDS (default 20); the exit status is non-zero if any crashed.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
seconds=${2:-20}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(mkdir -p "$1/fuzz" && cd "$1/fuzz" && pwd)
cxx=${CXX_FUZZ:-clang++}
# shellcheck disable=SC2054  # the commas belong to -fsanitize=
flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -I"$root/src")

# build NAME SOURCE... : compiles when the binary is missing or older than an input.
build() {
  local name=$1
  shift
  local bin=$out/$name stale=0 f
  [[ -x $bin ]] || stale=1
  for f in "$@" "$root/src/bridge/$name.h" "${BASH_SOURCE[0]}"; do
    [[ $f -nt $bin ]] && stale=1
  done
  if ((stale)); then
    echo "building $name"
    "$cxx" "${flags[@]}" "$@" -o "$bin"
  fi
}

# seed DIR NAME BYTES : a corpus file; BYTES may hold \r, \n, \xHH escapes.
seed() {
  mkdir -p "$1"
  printf '%b' "$3" >"$1/$2"
}

build http_request_parser "$root/tests/fuzz/http_request_parser_fuzz.cc" \
  "$root/src/bridge/http_request_parser.cc"
build line_framer "$root/tests/fuzz/line_framer_fuzz.cc" "$root/src/bridge/line_framer.cc"
build jsonrpc_scan "$root/tests/fuzz/jsonrpc_scan_fuzz.cc" "$root/src/bridge/jsonrpc_scan.cc"

# HTTP inputs start with 6 parameter bytes: header limit, other limits (0xff:
# defaults), split seed. See http_request_parser_fuzz.cc.
c=$out/corpus/http_request_parser
seed "$c" get '\xff\xff\x01\x00\x00\x00GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: text/event-stream\r\nMcp-Session-Id: abc\r\n\r\n'
seed "$c" post '\xff\xff\x02\x00\x00\x00POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"ping"}GET /sse HTTP/1.1\r\nHost: h\r\n\r\n'
seed "$c" chunked '\x40\x35\x03\x00\x00\x00POST /message?sessionId=a%2Fb HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n'
seed "$c" expect '\xff\xff\x04\x00\x00\x00POST /mcp HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'
seed "$c" http10 '\x08\x35\x05\x00\x00\x00\r\nGET /a?b HTTP/1.0\nConnection: keep-alive\n\nDELETE /mcp HTTP/1.1\nHost: h\nContent-Length: 0\n\n'
cat >"$out/http.dict" <<'DICT'
"HTTP/1.1"
"HTTP/1.0"
"\x0d\x0a"
"\x0d\x0a\x0d\x0a"
"GET /mcp "
"POST /mcp "
"Host: h\x0d\x0a"
"Content-Length: "
"Transfer-Encoding: chunked\x0d\x0a"
"Expect: 100-continue\x0d\x0a"
"Connection: close\x0d\x0a"
"Connection: keep-alive\x0d\x0a"
"0\x0d\x0a\x0d\x0a"
";ext=v"
"?sessionId="
DICT

# Framer inputs start with 5 parameter bytes: max line length, split seed.
c=$out/corpus/line_framer
seed "$c" lines '\xff\x01\x00\x00\x00{"jsonrpc":"2.0","id":1,"result":{}}\n\r\n  \n{"jsonrpc":"2.0","method":"notifications/progress"}\r\n{"partial":'
seed "$c" overflow '\x08\x02\x00\x00\x00{"a":1}\n{"much too long":true}\n{}\n\t\r\n{"b":2}\r\r\n'

# The fast path's inputs are JSON-RPC messages.
c=$out/corpus/jsonrpc_scan
seed "$c" request '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a\\u00e9\\n"}}}'
seed "$c" answer '{ "result" : {"content":[{"type":"text","text":"x"}]}, "id" : "s-1", "jsonrpc":"2.0" }'
seed "$c" error '{"jsonrpc":"2.0","id":-1.5e3,"error":{"code":-32601,"message":"no","data":[true,false,null]}}'

status=0
for name in http_request_parser line_framer jsonrpc_scan; do
  dict=()
  [[ -f $out/${name%%_*}.dict ]] && dict=(-dict="$out/${name%%_*}.dict")
  mkdir -p "$out/artifacts"
  echo "running $name for ${seconds}s"
  if "$out/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" "${dict[@]}" \
    "$out/corpus/$name" >"$out/$name.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$out/$name.log" |
      sed "s/^/  $name /"
  else
    status=1
    echo "$name FAILED (log: $out/$name.log)" >&2
    grep -E 'ERROR|check failed|SUMMARY|Test unit written' "$out/$name.log" >&2 || true
  fi
done
exit $status
