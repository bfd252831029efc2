# The docker-mode runtime against the real engine, with tiny fixture images
# (the static bridge and the static fake MCP server): start, status, logs,
# stop, restart, rm, the container contract, and the faults.
#
# usage: RT_BRIDGE=build/cc-mcp-bridge RT_FAKE=build/fake_mcp_server \
#        bash runtime_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_runtime.bash"
bb_init "$@"
rt_require_engine
RT_BRIDGE=$(readlink -f "${RT_BRIDGE:?RT_BRIDGE names the static bridge}")
RT_FAKE=$(readlink -f "${RT_FAKE:?RT_FAKE names the fake server}")
rt_fixture_images "$RT_BRIDGE" "$RT_FAKE"

# fixture_config NAME [EXTRA_JSON]: mcp.json with one fixture server.
fixture_config() {
    write mcp.json <<EOF
{"mcpServers": {"$1": {"image": "$RT_FIXTURE", "volumes": {"./data": "/data:ro"},
  "environment": {"GREETING": "hello"}, "limits": {"memory": "64m", "cpus": "0.5", "pids": 32},
  "args": ["--log"]${2:+, $2}}}}
EOF
    mkdir -p data
}

case_start_status_stop_start_keeps_the_port() {
    local name
    name=$(rt_name life)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    [[ $(stdout_text) =~ ^started\ $name\ at\ http://127\.0\.0\.1:$port/mcp\ \(new\ container\ mcp-$name,\ answered\ in\ [0-9.]+s\)$ ]] ||
        fail "start printed: $(stdout_text)"

    # status: running, with cpu and memory (the limit is the config's)
    [ "$(status_of "$name" 's["state"]')" = running ] || fail "status: $(stdout_text)"
    [ "$(status_of "$name" 's["cpuPercent"] is not None')" = True ] || fail "no cpu: $(stdout_text)"
    [ "$(status_of "$name" 's["memoryBytes"] > 0')" = True ] || fail "no memory: $(stdout_text)"
    [ "$(status_of "$name" 's["memoryLimitBytes"]')" = $((64 << 20)) ] || fail "limit: $(stdout_text)"
    [ "$(status_of "$name" 's["url"]')" = "http://127.0.0.1:$port/mcp" ] || fail "url: $(stdout_text)"
    [ "$(status_of "$name" 's["version"]')" = 0.0.1-fixture ] || fail "version: $(stdout_text)"
    run_ccmcp status
    expect_exit 0
    grep -qE "^$name +✓ running +docker +none +[0-9]+\.[0-9]% +[0-9.]+[KM]iB / 64MiB +http://127\.0\.0\.1:$port/mcp +0\.0\.1-fixture +[0-9]+s$" \
        "$BB_ROOT/out/stdout" || fail "status table: $(stdout_text)"
    expect_stdout_line "1 server: 1 running, 0 stopped; cpu $(sed -n 2p "$BB_ROOT/out/stdout" | awk '{print $6}'), memory $(sed -n 2p "$BB_ROOT/out/stdout" | awk '{print $7}')"
    run_ccmcp status --deep
    expect_exit 0
    grep -qE "^$name +✓ running .* 5$" "$BB_ROOT/out/stdout" || fail "status --deep: $(stdout_text)"

    # MCP through the URL: the args of mcp.json reached the server (--log
    # sends a log notification before each answer, so the answer is SSE)
    local answer
    answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"hi there"}}')
    [[ $answer == *'"text":"hi there"'* && $answer == *notifications/message* ]] ||
        fail "tools/call through the URL answered: $answer"

    # logs: the bridge's start line
    run_ccmcp logs "$name"
    expect_exit 0
    expect_stderr_line "cc-mcp-bridge: serving /fake_mcp_server on http://0.0.0.0:3000/mcp (one server per session)"

    # the same again: left alone
    run_ccmcp start "$name"
    expect_exit 0
    expect_stdout "$name is already running at http://127.0.0.1:$port/mcp"

    run_ccmcp stop "$name"
    expect_exit 0
    expect_stdout "stopped $name"
    [ "$(status_of "$name" 's["state"]')" = stopped ] || fail "after stop: $(stdout_text)"
    run_ccmcp status
    grep -qE "^$name +✗ stopped +docker +none +- +- +- +0\.0\.1-fixture +-$" "$BB_ROOT/out/stdout" ||
        fail "status table after stop: $(stdout_text)"
    run_ccmcp stop "$name"
    expect_stdout "$name is not running"

    run_ccmcp start "$name"
    expect_exit 0
    [ "$(rt_port "$name")" = "$port" ] || fail "the port changed: $port -> $(rt_port "$name")"
    [ "$(docker inspect -f '{{(index (index .HostConfig.PortBindings "3000/tcp") 0).HostPort}}' "cc-mcp-gw-$name")" = "$port" ] ||
        fail "the gateway is not published on $port"
}

case_container_is_hardened_and_published_on_loopback_only() {
    local name
    name=$(rt_name hard)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    local checks=(
        '{{json .HostConfig.CapDrop}}=["ALL"]'
        '{{json .HostConfig.SecurityOpt}}=["no-new-privileges"]'
        '{{.HostConfig.ReadonlyRootfs}}=true'
        '{{json .HostConfig.Tmpfs}}={"/tmp":"rw,noexec,nosuid,size=64m"}'
        '{{.Config.User}}=1001:1001'
        '{{.HostConfig.PidsLimit}}=32'
        '{{.HostConfig.Memory}}=67108864'
        '{{.HostConfig.NanoCpus}}=500000000'
        '{{.HostConfig.RestartPolicy.Name}}=unless-stopped'
        "{{json .HostConfig.Binds}}=[\"$tmp/data:/data:ro\",\"$tmp/home/audit/$name:/var/log/cc-mcp\"]"
        '{{index .Config.Labels "dev.cc-mcp.managed"}}=true'
        "{{index .Config.Labels \"dev.cc-mcp.name\"}}=$name"
        '{{index .Config.Labels "dev.cc-mcp.version"}}=0.0.1-fixture'
        '{{json .HostConfig.PortBindings}}=null'
        "{{.HostConfig.NetworkMode}}=cc-mcp-$name"
        '{{json .Config.Cmd}}=["--log"]'
        '{{json .Config.Env}}=["GREETING=hello","CC_MCP_AUDIT_FILE=/var/log/cc-mcp/audit.jsonl"]'
    )
    expect_inspect "$name" "${checks[@]}"
    [[ $(rt_inspect "$name" '{{index .Config.Labels "dev.cc-mcp.config-hash"}}') =~ ^[0-9a-f]{64}$ ]] ||
        fail "no config hash label"
    # Its own network, internal (no way out), cc-mcp's; its gateway there and on the edge.
    local networks='{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}'
    [ "$(docker inspect -f "$networks" "mcp-$name")" = "cc-mcp-$name " ] ||
        fail "the server's networks: $(docker inspect -f "$networks" "mcp-$name")"
    [ "$(docker inspect -f "$networks" "cc-mcp-gw-$name")" = "cc-mcp-$name cc-mcp_edge " ] ||
        fail "the gateway's networks: $(docker inspect -f "$networks" "cc-mcp-gw-$name")"
    [ "$(docker network inspect -f '{{.Internal}} {{index .Labels "dev.cc-mcp.managed"}} {{index .Labels "dev.cc-mcp.name"}}' "cc-mcp-$name")" = "true true $name" ] ||
        fail "network: $(docker network inspect "cc-mcp-$name")"
    # Its gateway publishes the port, as the engine says: 127.0.0.1 only; the
    # same flags, on the edge network (containers there cannot talk) and the server's.
    local gateway=cc-mcp-gw-$name
    [ "$(docker port "$gateway" 3000/tcp)" = "127.0.0.1:$port" ] ||
        fail "docker port says: $(docker port "$gateway" 3000/tcp)"
    [ -z "$(docker port "mcp-$name")" ] || fail "the server's container publishes: $(docker port "mcp-$name")"
    local gateway_checks=(
        '{{json .HostConfig.CapDrop}}=["ALL"]'
        '{{json .HostConfig.SecurityOpt}}=["no-new-privileges"]'
        '{{.HostConfig.ReadonlyRootfs}}=true'
        '{{.Config.User}}=1001:1001'
        '{{.HostConfig.PidsLimit}}=64'
        '{{.HostConfig.Memory}}=67108864'
        '{{.HostConfig.RestartPolicy.Name}}=unless-stopped'
        "{{json .HostConfig.PortBindings}}={\"3000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$port\"}]}"
    )
    local check actual
    for check in "${gateway_checks[@]}"; do
        actual=$(docker inspect -f "${check%%=*}" "$gateway")
        [ "$actual" = "${check#*=}" ] || fail "gateway: ${check%%=*} is $actual, not ${check#*=}"
    done
    [ "$(docker network inspect -f '{{.Internal}} {{index .Options "com.docker.network.bridge.enable_icc"}}' cc-mcp_edge)" = "false false" ] ||
        fail "edge network: $(docker network inspect cc-mcp_edge)"
    # Inside both: uid 1001, no capabilities, no new privileges.
    local pid
    for pid in "$(rt_inspect "$name" '{{.State.Pid}}')" "$(docker inspect -f '{{.State.Pid}}' "$gateway")"; do
        grep -q '^Uid:[[:space:]]1001[[:space:]]' "/proc/$pid/status" || fail "not uid 1001"
        grep -q '^CapEff:[[:space:]]0000000000000000$' "/proc/$pid/status" || fail "has capabilities"
        grep -q '^NoNewPrivs:[[:space:]]1$' "/proc/$pid/status" || fail "no_new_privs is not set"
    done
}

case_a_changed_config_recreates_the_container() {
    local name
    name=$(rt_name change)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local before port
    before=$(rt_inspect "$name" '{{.Id}}')
    port=$(rt_port "$name")
    fixture_config "$name" '"disabled": false'
    run_ccmcp start "$name"
    expect_stdout "$name is already running at http://127.0.0.1:$port/mcp"
    [ "$(rt_inspect "$name" '{{.Id}}')" = "$before" ] || fail "an unchanged config recreated it"
    sed -i 's/"GREETING": "hello"/"GREETING": "bonjour"/' mcp.json
    run_ccmcp start "$name"
    expect_exit 0
    [[ $(stdout_text) == "started $name at http://127.0.0.1:$port/mcp (container recreated: its config or image changed; answered in "* ]] ||
        fail "start printed: $(stdout_text)"
    [ "$(rt_inspect "$name" '{{.Id}}')" != "$before" ] || fail "a changed config kept the container"
    [ "$(rt_inspect "$name" '{{json .Config.Env}}')" = '["GREETING=bonjour","CC_MCP_AUDIT_FILE=/var/log/cc-mcp/audit.jsonl"]' ] || fail "env not applied"
    # restart: a new start of the same container, same port
    run_ccmcp restart "$name"
    expect_exit 0
    [[ $(stdout_text) == "restarted $name at http://127.0.0.1:$port/mcp (answered in "* ]] ||
        fail "restart printed: $(stdout_text)"
}

case_rm_removes_only_the_container() {
    local name
    name=$(rt_name rm)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    run_ccmcp rm "$name"
    expect_exit 0
    expect_stdout "removed mcp-$name (its image and its port stay)"
    docker inspect "mcp-$name" >/dev/null 2>&1 && fail "the container is still there"
    docker image inspect "$RT_FIXTURE" >/dev/null 2>&1 || fail "rm removed the image"
    [ "$(rt_port "$name")" = "$port" ] || fail "rm dropped the port"
    [ "$(status_of "$name" 's["detail"]')" = "no container" ] || fail "status: $(stdout_text)"
    run_ccmcp rm "$name"
    expect_exit 0
    expect_stdout "$name has no container"
}

case_engine_unreachable_is_one_clear_error() {
    local name
    name=$(rt_name noengine)
    fixture_config "$name"
    local verb
    for verb in start stop rm status; do
        run_ccmcp DOCKER_HOST=unix:///nonexistent.sock $verb "$name"
        expect_exit 1
        expect_stderr "cc-mcp: error: cannot reach the Docker engine at unix:///nonexistent.sock (is dockerd running? scripts/setup starts it)"
        expect_no_stdout
    done
    # a socket file nobody answers on
    "$BB_PYTHON" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$tmp/dead.sock"
    run_ccmcp DOCKER_HOST="unix://$tmp/dead.sock" start "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: cannot reach the Docker engine at unix://$tmp/dead.sock (is dockerd running? scripts/setup starts it)"
}

case_image_missing_and_not_buildable() {
    local name
    name=$(rt_name noimage)
    write mcp.json <<EOF
{"mcpServers": {"$name": {"image": "cc-mcp-test/$RT_PREFIX-nowhere:1"}}}
EOF
    run_ccmcp start "$name"
    expect_exit 1
    grep -q "^cc-mcp: error: .*cc-mcp-test/$RT_PREFIX-nowhere:1.*cannot pull the image" "$BB_ROOT/out/stderr" ||
        fail "the error does not name the image: $(stderr_text)"
    docker inspect "mcp-$name" >/dev/null 2>&1 && fail "a container was made"
    return 0
}

case_port_taken_by_another_process() {
    local name
    name=$(rt_name port)
    fixture_config "$name"
    # Hold a port on 127.0.0.1 and make it the server's.
    "$BB_PYTHON" -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(60)' "$tmp/held" &
    local holder=$!
    wait_for '[ -s "$tmp/held" ]' 10 || fatal "the port holder did not start"
    local port
    port=$(cat "$tmp/held")
    mkdir -p home/state
    echo "{\"servers\": {\"$name\": {\"port\": $port}}}" >home/state/servers.json
    snapshot home/state/servers.json
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"$name\": port $port on 127.0.0.1 is taken by another process (stop what listens there (ss -ltnp 'sport = :$port' shows it), or delete the server's \"port\" in $tmp/home/state/servers.json so that cc-mcp picks another)"
    docker inspect "mcp-$name" >/dev/null 2>&1 && fail "a container was made"
    expect_unchanged home/state/servers.json
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    return 0
}

case_a_server_that_exits_at_once() {
    local name
    name=$(rt_name crash)
    write mcp.json <<EOF
{"mcpServers": {"$name": {"image": "$RT_CRASH"}}}
EOF
    local start end
    start=$(date +%s)
    run_ccmcp start "$name"
    end=$(date +%s)
    expect_exit 1
    [ $((end - start)) -lt 20 ] || fail "start took $((end - start)) s to see it fail"
    grep -qE "^cc-mcp: error: \"$name\": did not answer MCP initialize at http://127\.0\.0\.1:[0-9]+/mcp: the container exited( with code 2)? and Docker (keeps restarting|restarted) it \([0-9]+ restarts so far\) \(its container mcp-$name was left for you to look at: cc-mcp logs $name; cc-mcp rm $name removes it\)$" \
        "$BB_ROOT/out/stderr" || fail "start said: $(stderr_text)"
    expect_stderr_line "  last lines of its log:"
    grep -q '^  | cc-mcp-bridge: error: --port: "not-a-port" is not a number' "$BB_ROOT/out/stderr" ||
        fail "its log was not shown: $(stderr_text)"
    docker inspect "mcp-$name" >/dev/null 2>&1 || fail "the container was not left"
    # status: restarting, with the count (Docker's back-off keeps it there)
    wait_for "[ \"\$(status_of $name 's[\"state\"]')\" = restarting ]" 20 ||
        fail "status never showed restarting: $(stdout_text)"
    [ "$(status_of "$name" 's["restartCount"] >= 1')" = True ] || fail "no restart count: $(stdout_text)"
    wait_for "run_ccmcp status $name; grep -qE '^$name +↻ restarting \([0-9]+\) +docker' \"\$BB_ROOT/out/stdout\"" 20 ||
        fail "status table: $(stdout_text)"
}

case_a_foreign_container_of_the_same_name_is_refused_and_untouched() {
    local name
    name=$(rt_name foreign)
    fixture_config "$name"
    local id
    id=$(docker run -d --name "mcp-$name" --network none "$RT_FIXTURE") || fatal "docker run failed"
    local verb
    for verb in start stop restart rm; do
        run_ccmcp $verb "$name"
        expect_exit 1
        expect_stderr "cc-mcp: error: \"$name\": a container named \"mcp-$name\" exists that cc-mcp did not create; it was left alone (rename or remove it yourself (docker rm mcp-$name), or rename the server in mcp.json)"
    done
    [ "$(docker inspect -f '{{.Id}} {{.State.Running}} {{.RestartCount}}' "mcp-$name")" = "$id true 0" ] ||
        fail "the foreign container was touched"
    run_ccmcp logs "$name"
    expect_exit 1
}

case_kill_9_of_the_main_process_is_restarted_and_counted() {
    local name
    name=$(rt_name kill)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local pid
    pid=$(rt_inspect "$name" '{{.State.Pid}}')
    kill -9 "$pid"
    wait_for "[ \"\$(rt_inspect $name '{{.RestartCount}} {{.State.Running}}')\" = '1 true' ]" 20 ||
        fatal "Docker did not restart it: $(rt_inspect "$name" '{{.RestartCount}} {{.State.Status}}')"
    wait_for "[ \"\$(status_of $name 's[\"state\"] + \" \" + str(s[\"restartCount\"])')\" = 'running 1' ]" 10 ||
        fail "status after kill -9: $(stdout_text)"
    run_ccmcp status "$name"
    grep -qE "^$name +✓ running ↻1 +docker" "$BB_ROOT/out/stdout" || fail "status table: $(stdout_text)"
}

case_logs_options_and_follow_ends_on_ctrl_c() {
    local name
    name=$(rt_name logs)
    fixture_config "$name"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    mcp_call "http://127.0.0.1:$port/mcp" ping '{}' >/dev/null
    run_ccmcp logs "$name" --tail 1 --timestamps
    expect_exit 0
    [ "$(wc -l <"$BB_ROOT/out/stderr")" -eq 1 ] || fail "--tail 1 gave: $(stderr_text)"
    grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z cc-mcp-bridge: ' "$BB_ROOT/out/stderr" ||
        fail "--timestamps gave: $(stderr_text)"
    run_ccmcp logs "$name" --since 1h
    expect_exit 0
    grep -q 'cc-mcp-bridge: serving' "$BB_ROOT/out/stderr" || fail "--since 1h lost lines: $(stderr_text)"
    run_ccmcp logs "$name" --since 2h-ago
    expect_exit 2
    expect_stderr 'cc-mcp: error: --since: "2h-ago" is not a time (use a duration like 10m or 2h, an RFC 3339 time like 2026-01-02T15:04:05Z, or unix seconds)'
    run_ccmcp logs "$name" --tail lots
    expect_exit 2

    # -f: new lines come, a kill -9 restart is followed through, Ctrl-C ends it cleanly
    ccmcp_command --no-color logs "$name" -f
    "${CCMCP[@]}" >"$tmp/follow.out" 2>"$tmp/follow.err" &
    local follower=$!
    wait_for 'grep -q "cc-mcp-bridge: serving" "$tmp/follow.err"' 10 || fail "-f printed nothing"
    kill -9 "$(rt_inspect "$name" '{{.State.Pid}}')"
    wait_for 'grep -q "the container restarted; following on" "$tmp/follow.err"' 20 ||
        fail "-f did not follow the restart: $(cat "$tmp/follow.err")"
    wait_for '[ "$(grep -c "cc-mcp-bridge: serving" "$tmp/follow.err")" -ge 2 ]' 20 ||
        fail "-f missed the restarted server's lines: $(cat "$tmp/follow.err")"
    kill -INT "$follower"
    local waited=0
    while kill -0 "$follower" 2>/dev/null && [ $waited -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$follower" 2>/dev/null; then
        kill -9 "$follower"
        fail "logs -f did not end on Ctrl-C"
    fi
    wait "$follower"
    local code=$?
    [ $code -eq 0 ] || fail "logs -f ended with $code on Ctrl-C"
    [ "$(grep -c "cc-mcp-bridge: serving" "$tmp/follow.err")" -eq 2 ] ||
        fail "-f repeated lines after the restart: $(cat "$tmp/follow.err")"

    # -f ends with a line when the container is stopped
    "${CCMCP[@]}" >"$tmp/follow2.out" 2>"$tmp/follow2.err" &
    follower=$!
    wait_for 'grep -q "cc-mcp-bridge: serving" "$tmp/follow2.err"' 10 || fail "-f printed nothing"
    run_ccmcp stop "$name"
    wait_for '! kill -0 $follower 2>/dev/null' 20 || { kill -9 "$follower"; fail "-f did not end on stop"; }
    wait "$follower" || fail "-f ended with an error on stop"
    grep -qE "^cc-mcp: $name: the container is exited \(exit code [0-9]+\); end of log$" "$tmp/follow2.err" ||
        fail "no end line: $(cat "$tmp/follow2.err")"
}

case_refused_volumes_unless_forced() {
    local name
    name=$(rt_name vol)
    mkdir -p .ssh
    write mcp.json <<EOF
{"mcpServers": {"$name": {"image": "$RT_FIXTURE", "volumes": {"./.ssh": "/keys:ro"}}}}
EOF
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"$name\": volume \"./.ssh\" is in the credentials folder $tmp/.ssh: mounting it would hand the server the host (mount a narrower folder, or pass --force if you mean it)"
    docker inspect "mcp-$name" >/dev/null 2>&1 && fail "a container was made"
    run_ccmcp start "$name" --force
    expect_exit 0
    for spec in '"/": "/host"' '"/var/run/docker.sock": "/docker.sock"' "\"$tmp\": \"/home\""; do
        write mcp.json <<EOF
{"mcpServers": {"$name": {"image": "$RT_FIXTURE", "volumes": {$spec}}}}
EOF
        run_ccmcp start "$name"
        expect_exit 1
        grep -q "^cc-mcp: error: \"$name\": volume .* (mount a narrower folder, or pass --force if you mean it)$" \
            "$BB_ROOT/out/stderr" || fail "$spec: $(stderr_text)"
    done
}

case_external_mode_through_the_same_commands() {
    local name fake
    name=$(rt_name ext)
    fake=$RT_FAKE
    write mcp.json <<EOF
{"mcpServers": {"$name": {"command": "$fake", "args": ["--log"]}}}
EOF
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    [[ $(stdout_text) =~ ^started\ $name\ at\ http://127\.0\.0\.1:$port/mcp\ \(on\ the\ host,\ supervised\;\ answered\ in\ [0-9.]+s\)$ ]] ||
        fail "start printed: $(stdout_text)"
    run_ccmcp start "$name"
    expect_stdout "$name is already running at http://127.0.0.1:$port/mcp"
    [ "$(status_of "$name" 's["state"] + " " + s["mode"] + " " + str(s["memoryBytes"] > 0) + " " + str(s["cpuPercent"] is not None)')" = "running external True True" ] ||
        fail "status: $(stdout_text)"
    run_ccmcp status --deep
    grep -qE "^$name +✓ running +external +host +[0-9.]+% +[0-9.]+[KM]iB +http://127\.0\.0\.1:$port/mcp +- +[0-9]+s +5$" \
        "$BB_ROOT/out/stdout" || fail "status --deep: $(stdout_text)"
    run_ccmcp logs "$name" --tail 1
    expect_exit 0
    expect_stdout "cc-mcp-bridge: serving $fake on http://127.0.0.1:$port/mcp (one server per session)"
    run_ccmcp rm "$name"
    expect_exit 0
    expect_stdout "$name runs in external mode: there is no container to remove (cc-mcp stop $name ends its process)"
    run_ccmcp restart "$name"
    expect_exit 0
    [ "$(rt_port "$name")" = "$port" ] || fail "the port changed"
    run_ccmcp stop "$name"
    expect_exit 0
    expect_stdout "stopped $name"
    [ "$(status_of "$name" 's["state"]')" = stopped ] || fail "after stop: $(stdout_text)"
    # a command that is not there
    write mcp.json <<EOF
{"mcpServers": {"$name": {"command": "no-such-command-$$"}}}
EOF
    run_ccmcp start "$name"
    expect_exit 1
    grep -q "no-such-command-$$" "$BB_ROOT/out/stderr" || fail "start said: $(stderr_text)"
}

case_usage_errors_change_nothing() {
    local name
    name=$(rt_name usage)
    fixture_config "$name"
    snapshot mcp.json
    run_ccmcp start
    expect_exit 2
    expect_stderr "cc-mcp: error: cc-mcp start: needs a server name or --all (e.g. cc-mcp start filesystem)"
    run_ccmcp start "$name" --all
    expect_exit 2
    run_ccmcp start nosuch
    expect_exit 1
    expect_stderr 'cc-mcp: error: "nosuch": no such server in mcp.json (cc-mcp list shows the servers)'
    run_ccmcp start "$name" --timeout 0
    expect_exit 2
    run_ccmcp logs
    expect_exit 2
    docker inspect "mcp-$name" >/dev/null 2>&1 && fail "a container was made"
    expect_unchanged mcp.json
    expect_missing home/state/servers.json
}

run_cases
