#!/usr/bin/env bash
# Runs the MCP conformance suite's server scenarios against a Streamable HTTP
# URL and prints one line per scenario plus the counts.
#
#   tests/bridge/conformance.sh URL [SCENARIO...]
#   CONFORMANCE_ALL=1 tests/bridge/conformance.sh URL   # every server scenario
#
# URL is a Streamable HTTP endpoint (http://127.0.0.1:PORT/mcp) in front of
# @modelcontextprotocol/server-everything. Most of the suite's server
# scenarios target the suite's own test server (tools test_image_content,
# prompts test_simple_prompt, resources test://static-text, ...), which
# server-everything does not have, so by default only the scenarios that
# apply to server-everything run (list below). Exit 0 when all pass.
# Needs scripts/npm-fixtures (folder: $CC_MCP_FIXTURES or <repo>/.cache/npm-fixtures).
set -euo pipefail

# Scenarios that a correct bridge in front of server-everything passes.
# tools-call-simple-text and tools-call-error call tools that server-everything
# lacks; they pass anyway (a tool-not-found isError result with text content
# satisfies both checks), so they only prove a tools/call round trip.
# dns-rebinding-protection wants a 4xx for a non-localhost Host/Origin header.
DEFAULT_SCENARIOS=(
  server-initialize
  ping
  logging-set-level
  tools-list
  tools-call-simple-text
  tools-call-error
  resources-list
  resources-subscribe
  resources-unsubscribe
  prompts-list
  server-sse-multiple-streams
  dns-rebinding-protection
)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIXTURES=${CC_MCP_FIXTURES:-$REPO/.cache/npm-fixtures}
CONF=$FIXTURES/node_modules/@modelcontextprotocol/conformance/dist/index.js

[ $# -ge 1 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
URL=$1; shift
[ -f "$CONF" ] || { echo "conformance.sh: $CONF missing: run scripts/npm-fixtures" >&2; exit 2; }

if [ $# -gt 0 ]; then
  SCENARIOS=("$@")
elif [ "${CONFORMANCE_ALL:-0}" = 1 ]; then
  # Every server scenario `conformance list --server` prints (pending ones too).
  mapfile -t SCENARIOS < <(node "$CONF" list --server 2>/dev/null | sed -n 's/^  - //p')
else
  SCENARIOS=("${DEFAULT_SCENARIOS[@]}")
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
pass=0 fail=0 checks_pass=0 checks_fail=0
for s in "${SCENARIOS[@]}"; do
  mkdir -p "$OUT/$s"
  timeout 120 node "$CONF" server --url "$URL" --scenario "$s" -o "$OUT/$s" >"$OUT/$s.log" 2>&1 || true
  # One line: "PASS|FAIL <scenario> <ok>/<total> [first failure]"
  line=$(node -e '
    const fs = require("fs"), path = require("path");
    const [dir, name] = process.argv.slice(1);
    const files = [];
    const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name === "checks.json") files.push(p); } };
    walk(dir);
    const checks = files.flatMap((f) => JSON.parse(fs.readFileSync(f, "utf8")))
      .filter((c) => c.status !== "INFO");
    const bad = checks.filter((c) => c.status === "FAILURE");
    const good = checks.filter((c) => c.status === "SUCCESS" || c.status === "WARNING");
    const ok = checks.length > 0 && bad.length === 0;
    const why = bad.length ? " " + bad.map((c) => `${c.id}: ${(c.errorMessage || "").slice(0, 140)}`).join("; ")
              : checks.length ? "" : " no checks recorded (see the log)";
    console.log(`${ok ? "PASS" : "FAIL"} ${name} ${good.length}/${checks.length}${why}`);
  ' "$OUT/$s" "$s")
  echo "$line"
  read -r verdict _ counts _ <<<"$line"
  checks_pass=$((checks_pass + ${counts%/*}))
  checks_fail=$((checks_fail + ${counts#*/} - ${counts%/*}))
  if [ "$verdict" = PASS ]; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    [ "${CONFORMANCE_VERBOSE:-0}" = 1 ] && sed 's/^/    /' "$OUT/$s.log" | tail -20
  fi
done
echo "checks: $checks_pass passed, $checks_fail failed"
echo "conformance: $pass passed, $fail failed"
[ "$fail" = 0 ]
