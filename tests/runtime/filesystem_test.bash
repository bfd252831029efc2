# A real server through the whole runtime: @modelcontextprotocol/server-filesystem
# from npm, built by cc-mcp start (images), run hardened, reached through its
# URL with the MCP client of the test (curl), a file of the mounted folder
# read, its log, stop, and start again on the same port.
#
# usage: bash filesystem_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_runtime.bash"
bb_init "$@"
rt_require_engine
for base in cc-mcp/node:18 cc-mcp/node-build:18; do
    docker image inspect "$base" >/dev/null 2>&1 ||
        rt_fail_suite "the local base image $base is missing (scripts/base-images makes it)"
done

FS_VERSION=2026.8.31  # the version of tests/bridge/fixtures-package.json
mkdir -p "${CC_MCP_TEST_NPM_CACHE:-/var/tmp/cc-mcp-test-npm-cache}"

case_filesystem_server_from_nothing() {
    local name
    name=$(rt_name fs)
    mkdir -p project
    echo "hello from the mounted folder" >project/hello.txt
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "volumes": {"./project": "/workspace:ro"},
  "limits": {"memory": "256m", "cpus": "0.5"}, "args": ["/workspace"],
  "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem", "version": "$FS_VERSION"}}}}
EOF
    run_net start "$name" --timeout 60
    expect_exit 0
    local port url
    port=$(rt_port "$name")
    url="http://127.0.0.1:$port/mcp"
    [[ $(stdout_text) =~ ^started\ $name\ at\ $url\ \(new\ container\ mcp-$name,\ answered\ in\ [0-9.]+s\)$ ]] ||
        fail "start printed: $(stdout_text)"
    grep -q "^building $name: step 1/[0-9]*: FROM cc-mcp/node:18" "$BB_ROOT/out/stderr" ||
        fail "no build progress: $(stderr_text)"
    [ "$(rt_inspect "$name" '{{.Config.Image}}')" = "cc-mcp/$name:$FS_VERSION" ] ||
        fail "runs $(rt_inspect "$name" '{{.Config.Image}}')"

    # status: running, with cpu, memory and the npm version
    [ "$(status_of "$name" 's["state"] + " " + str(s["cpuPercent"] is not None) + " " + str(s["memoryBytes"] > 0) + " " + s["version"]')" = "running True True $FS_VERSION" ] ||
        fail "status: $(stdout_text)"
    run_ccmcp status
    grep -qE "^$name +✓ running +docker +none +[0-9.]+% +[0-9.]+[KM]iB / 256MiB +http://127\.0\.0\.1:$port/mcp +$FS_VERSION +[0-9]+s$" \
        "$BB_ROOT/out/stdout" || fail "status table: $(stdout_text)"

    # MCP through the URL: the tools, and a file of the mounted folder read
    local tools answer
    tools=$(mcp_call "$url" tools/list '{}')
    [[ $tools == *'"name":"read_text_file"'* ]] || fail "tools/list: $tools"
    answer=$(mcp_call "$url" tools/call '{"name":"read_text_file","arguments":{"path":"/workspace/hello.txt"}}')
    [[ $answer == *'hello from the mounted folder'* ]] || fail "read_text_file: $answer"
    # read-only mount: writing is refused
    answer=$(mcp_call "$url" tools/call '{"name":"write_file","arguments":{"path":"/workspace/new.txt","content":"x"}}')
    [ ! -e project/new.txt ] || fail "wrote through a read-only mount"

    # its log: the server's start line (one server process per session)
    run_ccmcp logs "$name"
    expect_exit 0
    grep -q "Secure MCP Filesystem Server running on stdio" "$BB_ROOT/out/stdout" "$BB_ROOT/out/stderr" ||
        fail "the log lacks the start line: $(stdout_text) $(stderr_text)"

    run_ccmcp status --deep
    grep -qE "^$name +✓ running .* [0-9]{2}$" "$BB_ROOT/out/stdout" || fail "status --deep: $(stdout_text)"

    # the contract, as the engine has it
    local checks=(
        '{{json .HostConfig.CapDrop}}=["ALL"]'
        '{{json .HostConfig.SecurityOpt}}=["no-new-privileges"]'
        '{{.HostConfig.ReadonlyRootfs}}=true'
        '{{json .HostConfig.Tmpfs}}={"/tmp":"rw,noexec,nosuid,size=64m"}'
        '{{.Config.User}}=1001:1001'
        '{{.HostConfig.PidsLimit}}=256'
        '{{.HostConfig.Memory}}=268435456'
        '{{.HostConfig.NanoCpus}}=500000000'
        '{{.HostConfig.RestartPolicy.Name}}=unless-stopped'
        "{{.HostConfig.NetworkMode}}=cc-mcp-$name"
        '{{index .Config.Labels "dev.cc-mcp.managed"}}=true'
        "{{index .Config.Labels \"dev.cc-mcp.version\"}}=$FS_VERSION"
    )
    expect_inspect "$name" "${checks[@]}"

    run_ccmcp stop "$name"
    expect_exit 0
    [ "$(status_of "$name" 's["state"]')" = stopped ] || fail "after stop: $(stdout_text)"
    mcp_call "$url" tools/list '{}' >/dev/null && fail "it still answers after stop"

    # again: no build, the same port
    run_ccmcp start "$name"
    expect_exit 0
    [[ $(stdout_text) == "started $name at $url (answered in "* ]] || fail "start again: $(stdout_text)"
    grep -q "^building" "$BB_ROOT/out/stderr" && fail "it built again: $(stderr_text)"
    [ "$(rt_port "$name")" = "$port" ] || fail "the port changed"
    tools=$(mcp_call "$url" tools/list '{}')
    [[ $tools == *'"name":"read_text_file"'* ]] || fail "tools/list after the restart: $tools"
}

run_cases
