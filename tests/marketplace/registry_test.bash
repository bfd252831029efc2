# An MCP registry as a catalog: a local registry (registry_fixture.py on
# 127.0.0.1, real server.json documents of schema 2025-12-11 and 250
# synthetic ones, cursor pagination) added with catalog add --registry;
# search over its cache, the cache's age and its use when the registry is
# gone, info and install asking the registry for the server again, and the
# servers it cannot install (hosted, PyPI) refused with what to do. With
# INSTALL_NPM=1 (the normal variant) server-memory is installed from it,
# the latest and an older version, against the real engine.
#
# usage: bash registry_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../images/lib_images.bash"
bb_init "$@"
FIXTURE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/registry_fixture.py"
IMG_PREFIX="t-reg-$$"
REGISTRY_PID=

stop_registry() {
    [ -z "$REGISTRY_PID" ] || kill "$REGISTRY_PID" 2>/dev/null
    wait "$REGISTRY_PID" 2>/dev/null
    REGISTRY_PID=
}

# start_registry COUNT: the fixture with COUNT synthetic servers; sets
# $REGISTRY (its URL) and $REGISTRY_LOG (one line per request).
start_registry() {
    REGISTRY_LOG="$tmp/registry.log"
    : >"$REGISTRY_LOG"
    rm -f "$tmp/registry.port"
    "$BB_PYTHON" "$FIXTURE" "$tmp/registry.port" "$REGISTRY_LOG" "$1" </dev/null >/dev/null 2>&1 &
    REGISTRY_PID=$!
    trap 'stop_registry' EXIT  # each case runs in a subshell of its own
    local i
    for i in $(seq 100); do
        [ -s "$tmp/registry.port" ] && break
        sleep 0.05
    done
    [ -s "$tmp/registry.port" ] || fatal "the registry fixture did not start"
    REGISTRY="http://127.0.0.1:$(cat "$tmp/registry.port")"
}
trap 'img_cleanup 2>/dev/null; bb_cleanup' EXIT

case_add_a_registry_and_search_its_cache() {
    start_registry 250
    run_ccmcp catalog add official --registry "$REGISTRY"
    expect_exit 0
    expect_stdout_line "✓ Added catalog official (255 packages)"
    # 256 documents (one older version left out): 3 pages of 100
    [ "$(grep -c '^/v0.1/servers?limit=100' "$REGISTRY_LOG")" = 3 ] || fail "pages: $(cat "$REGISTRY_LOG")"
    grep -q 'cursor=io.example.synthetic%2F' "$REGISTRY_LOG" || fail "no cursor sent: $(cat "$REGISTRY_LOG")"
    run_ccmcp catalog list
    expect_exit 0
    grep -q "^official  *registry  *$REGISTRY  *255  *cached just now$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"

    : >"$REGISTRY_LOG"
    run_ccmcp search memory
    expect_exit 0
    expect_stdout_line "server-memory - Knowledge graph memory for Claude, kept in a local JSONL file  [official]"
    grep -q "^memory - .*\[default\]$" "$BB_ROOT/out/stdout" || fail "the embedded one: $(stdout_text)"
    expect_stdout_line "(official cached just now; cc-mcp catalog refresh reads them anew)"
    [ -s "$REGISTRY_LOG" ] && fail "search asked the registry with a fresh cache: $(cat "$REGISTRY_LOG")"
    run_ccmcp search calendar --catalog official --json
    expect_exit 0
    [ "$(json_value 'len(d["results"])')" = 25 ] || fail "calendar: $(json_value 'len(d["results"])')"
    [ "$(json_value 'd["catalogs"][0]["name"] + " " + str(d["catalogs"][0]["packages"])')" = "official 255" ] ||
        fail "json: $(stdout_text)"

    # the registry goes away: a fresh cache serves; an old one serves with a warning
    stop_registry
    run_ccmcp search memory --catalog official
    expect_exit 0
    expect_no_stderr
    "$BB_PYTHON" - "$tmp/home/cache/catalogs/official.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["fetchedAt"] -= 3 * 3600
json.dump(d, open(sys.argv[1], "w"))
PY
    run_ccmcp search memory --catalog official
    expect_exit 0
    grep -q "^cc-mcp: warning: catalog official ($REGISTRY): could not be refreshed (cannot be reached: .*); using its cache from 3 h ago (cc-mcp catalog refresh official tries again)$" \
        "$BB_ROOT/out/stderr" || fail "stale: $(stderr_text)"
    expect_stdout_line "server-memory - Knowledge graph memory for Claude, kept in a local JSONL file  [official]"
    run_ccmcp catalog refresh official
    expect_exit 1
    start_registry 250
    "$BB_PYTHON" - "$tmp/home/catalogs.json" "$REGISTRY" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["catalogs"][0]["url"] = sys.argv[2]
json.dump(d, open(sys.argv[1], "w"))
PY
    run_ccmcp catalog refresh official
    expect_exit 0
    expect_stdout_line "✓ official: 255 packages"
    run_ccmcp catalog remove official
    expect_exit 0
    expect_missing "$tmp/home/cache/catalogs/official.json"
}

case_info_asks_the_registry_for_the_server() {
    start_registry 0
    run_ccmcp catalog add official --registry "$REGISTRY/"
    expect_exit 0
    : >"$REGISTRY_LOG"
    run_ccmcp info server-memory
    expect_exit 0
    expect_stdout_line "  registry name io.github.modelcontextprotocol/server-memory"
    expect_stdout_line "  server version 2026.8.31"
    grep -q '^/v0.1/servers/io.github.modelcontextprotocol%2Fserver-memory/versions/latest$' "$REGISTRY_LOG" ||
        fail "not asked: $(cat "$REGISTRY_LOG")"
    grep -q '"version":"2026.8.31"' "$BB_ROOT/out/stdout" || fail "entry: $(stdout_text)"
    run_ccmcp info io.github.modelcontextprotocol/server-memory@2026.7.4
    expect_exit 0
    grep -q '"version":"2026.7.4"' "$BB_ROOT/out/stdout" || fail "older: $(stdout_text)"
    run_ccmcp info server-memory@1.0.0
    expect_exit 1
    expect_stderr_line 'cc-mcp: error: "io.github.modelcontextprotocol/server-memory@1.0.0": is not in registry official ('"$REGISTRY"'/) (cc-mcp info server-memory shows its latest version)'
    run_ccmcp info server-filesystem --json
    expect_exit 0
    [ "$(json_value '" ".join(d["config"]["args"])')" = "/workspace" ] || fail "arguments: $(stdout_text)"
    run_ccmcp info weather-hosted
    expect_exit 0
    expect_stdout_line "  remote        https://weather.example.com/mcp (streamable-http) (hosted; not installable)"
}

case_what_cannot_be_installed_is_refused() {
    start_registry 0
    run_ccmcp catalog add official --registry "$REGISTRY"
    expect_exit 0
    write mcp.json <<<'{"mcpServers": {}}'
    snapshot mcp.json
    run_ccmcp install weather-hosted
    expect_exit 1
    expect_stderr_line 'cc-mcp: error: "weather-hosted": is a hosted server (https://weather.example.com/mcp (streamable-http)): there is nothing to run here (add its URL to your MCP client'"'"'s config instead)'
    run_ccmcp install time-python
    expect_exit 1
    grep -q '^cc-mcp: error: "time-python": is a PyPI package (mcp-server-time); cc-mcp installs npm, git and docker sources' \
        "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    run_ccmcp install github-tools
    expect_exit 2
    grep -q 'needs GITHUB_TOKEN in its environment' "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    expect_unchanged mcp.json
}

case_refused_registries_are_not_added() {
    start_registry 0
    run_ccmcp catalog add wrong --registry "$REGISTRY/not-a-registry"
    expect_exit 1
    grep -q "answered HTTP 404" "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    stop_registry
    run_ccmcp catalog add gone --registry "$REGISTRY"
    expect_exit 1
    grep -q "cannot be reached" "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    run_ccmcp catalog add bad --registry ftp://x
    expect_exit 2
    run_ccmcp catalog add both ./x --registry http://127.0.0.1:9
    expect_exit 2
    expect_missing "$tmp/home/catalogs.json"
}

# server-memory from the registry, the latest and an older server version
# (npm and the engine: the normal variant).
case_install_from_the_registry() {
    [ "${INSTALL_NPM:-0}" = 1 ] || return 0
    docker version >/dev/null 2>&1 || fatal "no Docker engine answers (scripts/setup starts one)"
    start_registry 0
    run_ccmcp catalog add official --registry "$REGISTRY"
    expect_exit 0
    local name="$IMG_PREFIX-mem" older="$IMG_PREFIX-old"
    run_img install server-memory --as "$name"
    expect_exit 0
    expect_stdout_line "✓ Installed $name 2026.8.31 (cc-mcp/$name:2026.8.31) into $tmp/home/mcp.json (created)"
    run_img install io.github.modelcontextprotocol/server-memory@2026.7.4 --as "$older"
    expect_exit 0
    expect_stdout_line "✓ Installed $older 2026.7.4 (cc-mcp/$older:2026.7.4) into $tmp/home/mcp.json"
    grep -q '"version": "2026.7.4"' "$tmp/home/mcp.json" || fail "not pinned: $(cat "$tmp/home/mcp.json")"
    run_img uninstall "$name" --purge
    expect_exit 0
    run_img uninstall "$older" --purge
    expect_exit 0
}

run_cases
