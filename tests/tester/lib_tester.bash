# Helpers of the tester suite (sourced after tests/blackbox/lib.bash and
# tests/runtime/lib_runtime.bash): fixture images made of the static bridge
# and the fake server, shaped as cc-mcp builds images (user 1001, the
# bridge as entrypoint, port 3000), and readers of `cc-mcp test --json`.

TT_GOOD="cc-mcp-test/$RT_PREFIX-tester-good:1"
TT_DIRTY="cc-mcp-test/$RT_PREFIX-tester-dirty:1"
TT_DEAD="cc-mcp-test/$RT_PREFIX-tester-dead:1"
TT_PKG="cc-mcp-test/$RT_PREFIX-tester-pkg:1"
TT_FIXTURES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)
TT_OSV=$TT_FIXTURES/osv

# tt_fixture_images BRIDGE FAKE_SERVER:
#   $TT_GOOD   clean: passes every scan
#   $TT_DIRTY  the same with a setuid file, a world-writable folder, a token
#              in ENV and port 8080 exposed
#   $TT_PKG    clean, with the package's own tests in /app/cc-mcp.tests.json
#   $TT_DEAD   its bridge cannot start (a bad option): the container exits at once
tt_fixture_images() {
    local bridge=$1 fake=$2
    [ -x "$bridge" ] || rt_fail_suite "no bridge binary at $bridge"
    [ -x "$fake" ] || rt_fail_suite "no fake MCP server at $fake"
    TT_WORK=$(mktemp -d)
    local root=$TT_WORK/root
    mkdir -p "$root/tmp" "$root/usr/local/bin" "$root/app"
    chmod 1777 "$root/tmp"
    cp "$bridge" "$root/usr/local/bin/cc-mcp-bridge"
    cp "$fake" "$root/usr/local/bin/fake_mcp_server"
    strip "$root/usr/local/bin/cc-mcp-bridge" "$root/usr/local/bin/fake_mcp_server" 2>/dev/null
    echo '{"name": "fixture", "version": "1.0.0"}' >"$root/app/package.json"
    local common=(-c 'USER 1001:1001' -c 'WORKDIR /app' -c 'EXPOSE 3000'
        -c 'LABEL dev.cc-mcp.bridge=true' -c 'LABEL dev.cc-mcp.version=0.0.1-fixture')
    local serve='ENTRYPOINT ["/usr/local/bin/cc-mcp-bridge","--host","0.0.0.0","--port","3000","--","/usr/local/bin/fake_mcp_server"]'
    tar -C "$root" -c . | docker import "${common[@]}" -c "$serve" - "$TT_GOOD" >/dev/null ||
        rt_fail_suite "docker import of $TT_GOOD failed"
    tar -C "$root" -c . | docker import "${common[@]}" \
        -c 'ENTRYPOINT ["/usr/local/bin/cc-mcp-bridge","--port","not-a-port","--","/usr/local/bin/fake_mcp_server"]' \
        - "$TT_DEAD" >/dev/null || rt_fail_suite "docker import of $TT_DEAD failed"
    # the package's own tests, inside the image
    echo '{"calls": [{"tool": "echo", "arguments": {"text": "from the package"}, "expect": "from the package"}]}' \
        >"$root/app/cc-mcp.tests.json"
    tar -C "$root" -c . | docker import "${common[@]}" -c "$serve" - "$TT_PKG" >/dev/null ||
        rt_fail_suite "docker import of $TT_PKG failed"
    rm "$root/app/cc-mcp.tests.json"
    cp "$fake" "$root/usr/local/bin/helper"
    chmod 4755 "$root/usr/local/bin/helper"
    mkdir -p "$root/srv/drop"
    chmod 0777 "$root/srv/drop"
    tar -C "$root" -c . | docker import "${common[@]}" -c 'EXPOSE 8080' \
        -c 'ENV GITHUB_TOKEN=ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo' -c "$serve" \
        - "$TT_DIRTY" >/dev/null || rt_fail_suite "docker import of $TT_DIRTY failed"
}

tt_cleanup() {
    [ -z "${TT_WORK:-}" ] || rm -rf "$TT_WORK"
    rt_cleanup
}

# check_of CHECK [FIELD]: FIELD (default status) of that check in the first
# result of the last `test --json`; "absent" when the check is not there.
check_of() {
    "$BB_PYTHON" - "$BB_ROOT/out/stdout" "$1" "${2:-status}" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for check in doc["results"][0]["checks"]:
    if check["check"] == sys.argv[2]:
        value = check[sys.argv[3]]
        print(value if isinstance(value, str) else json.dumps(value))
        break
else:
    print("absent")
PY
}

# rules_of CHECK: "RULE SEVERITY EVIDENCE" of that check's findings, a line each.
rules_of() {
    "$BB_PYTHON" - "$BB_ROOT/out/stdout" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for check in doc["results"][0]["checks"]:
    if check["check"] == sys.argv[2]:
        for finding in check["findings"]:
            print(finding["rule"], finding["severity"], finding["evidence"])
PY
}

# result_of EXPR: EXPR over the first result `r` of the last `test --json`.
result_of() {
    "$BB_PYTHON" -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; print(eval(sys.argv[2]))' \
        "$BB_ROOT/out/stdout" "$1"
}

# test_containers NAME: the test containers of that server still there.
test_containers() {
    docker ps -a --filter "label=dev.cc-mcp.test=true" --filter "label=dev.cc-mcp.name=$1" \
        --format '{{.Names}}'
}

expect_no_test_container() {
    local left
    left=$(test_containers "$1")
    [ -z "$left" ] || fail "test containers left: $left"
}

# fixture_config NAME IMAGE [ARGS_JSON]: mcp.json with one server of a fixture image.
fixture_config() {
    write mcp.json <<JSON
{"mcpServers": {"$1": {"mode": "docker", "image": "$2", "args": ${3:-[]}}}}
JSON
}
