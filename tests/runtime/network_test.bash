# Network isolation against the real engine (mcp.json "network"): each
# server alone on its own network behind its gateway, egress only through
# the gateway's proxy and only to what the allow-list names, "full" as an
# explicit way out, and no server reaching another.
#
# Every check runs inside containers this suite makes: a probe (node, from
# the local base image) on the network in question, and an upstream HTTP
# server standing in for the internet on a network the suite makes and
# hands to the gateway. Nothing is sent to any address outside them.
#
# usage: RT_BRIDGE=build/cc-mcp-bridge RT_FAKE=build/fake_mcp_server \
#        bash network_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_runtime.bash"
bb_init "$@"
rt_require_engine
RT_BRIDGE=$(readlink -f "${RT_BRIDGE:?RT_BRIDGE names the static bridge}")
RT_FAKE=$(readlink -f "${RT_FAKE:?RT_FAKE names the fake server}")
rt_fixture_images "$RT_BRIDGE" "$RT_FAKE"
NODE_IMAGE=cc-mcp/node:18
docker image inspect "$NODE_IMAGE" >/dev/null 2>&1 ||
    rt_fail_suite "no $NODE_IMAGE image (scripts/setup makes it)"

# servers_config 'NAME': {...}, ...: mcp.json with fixture servers.
servers_config() {
    write mcp.json <<EOF
{"mcpServers": {$1}}
EOF
}
fixture() { echo "\"$1\": {\"image\": \"$RT_FIXTURE\"${2:+, $2}}"; }

# probe NETWORK JS [DOCKER_RUN_ARGS...]: the script's output, run by node in a
# throwaway container on NETWORK.
probe() {
    local network=$1 script=$2
    shift 2
    timeout 60 docker run --rm --network "$network" --name "$RT_PREFIX-probe-$RANDOM" "$@" \
        --entrypoint node "$NODE_IMAGE" -e "$script" 2>&1
}

# tcp_probe HOST PORT: "connected", "timeout" or "error CODE".
tcp_probe_js() {
    echo "const s = require('net').connect({host: '$1', port: $2}); s.setTimeout(3000);
s.on('connect', () => { console.log('connected'); process.exit(0); });
s.on('timeout', () => { console.log('timeout'); process.exit(0); });
s.on('error', e => { console.log('error ' + e.code); process.exit(0); });"
}

# unreachable PROBE_OUTPUT: the name did not resolve (an internal network's
# DNS has nothing to ask: it says so, or the lookup times out) or nothing
# answered.
unreachable() {
    case $1 in
    "error ENOTFOUND" | "error EAI_AGAIN" | timeout | "error EHOSTUNREACH" | "error ECONNREFUSED") return 0 ;;
    *) return 1 ;;
    esac
}

# CONNECT through the proxy, then GET /t in the tunnel: "STATUS BODY".
connect_js() {
    echo "const r = require('http').request({host: 'cc-mcp-egress', port: 3128, method: 'CONNECT', path: '$1'});
r.on('connect', (res, sock, head) => {
  let b = head.toString();
  sock.on('data', d => b += d);
  sock.on('end', () => { console.log(res.statusCode + ' ' + b.trim()); process.exit(0); });
  if (res.statusCode === 200) sock.write('GET /t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
});
r.on('error', e => { console.log('error ' + e.code); process.exit(0); });
r.end();"
}

# A plain request to http://HOST:PORT/direct, no proxy: "STATUS BODY".
direct_http_js() {
    echo "require('http').get('http://$1/direct', r => {
  let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(r.statusCode + ' ' + b.trim()));
}).on('error', e => console.log('error ' + e.code));"
}

# A plain http:// request through the proxy: "STATUS BODY".
http_proxy_js() {
    echo "require('http').get({host: 'cc-mcp-egress', port: 3128, path: 'http://$1/plain'}, r => {
  let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(r.statusCode + ' ' + b.trim()));
}).on('error', e => console.log('error ' + e.code));"
}

# start_upstream CASE: an HTTP server on a network of this suite's ($UP_NET),
# known there as allowed.test and denied.test.
start_upstream() {
    UP_NET=$RT_PREFIX-up-$1
    docker network create --label "dev.cc-mcp.test=$RT_PREFIX" "$UP_NET" >/dev/null ||
        fatal "cannot make the upstream network"
    docker run -d --name "$RT_PREFIX-up-$1" --network "$UP_NET" \
        --network-alias allowed.test --network-alias denied.test \
        --entrypoint node "$NODE_IMAGE" -e \
        "require('http').createServer((q, s) => s.end('hello from upstream ' + q.url)).listen(8080)" \
        >/dev/null || fatal "cannot start the upstream server"
}

case_no_network_by_default_served_through_the_gateway() {
    local name
    name=$(rt_name quiet)
    servers_config "$(fixture "$name")"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    local answer
    answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"via the gateway"}}')
    [[ $answer == *'"text":"via the gateway"'* ]] || fail "tools/call through the gateway: $answer"

    [ "$(status_of "$name" 's["network"]')" = none ] || fail "status network: $(stdout_text)"
    run_ccmcp config show "$name" --json
    [[ $(stdout_text) == *'"network": "none"'* ]] || fail "config show: $(stdout_text)"

    # From where the server sits: no proxy (the gateway serves only its
    # relay), no name outside its network, no way out.
    start_upstream quiet
    docker network connect "$UP_NET" "cc-mcp-gw-$name" || fail "cannot connect the gateway"
    local out
    out=$(probe "cc-mcp-$name" "$(tcp_probe_js cc-mcp-egress 3128)")
    [ "$out" = "error ECONNREFUSED" ] || fail "a proxy answered where none should be: $out"
    out=$(probe "cc-mcp-$name" "$(tcp_probe_js allowed.test 8080)")
    unreachable "$out" || fail "the upstream was reachable: $out"
    # The server's own bridge answers on its network (the gateway's path).
    out=$(probe "cc-mcp-$name" "$(tcp_probe_js "mcp-$name" 3000)")
    [ "$out" = connected ] || fail "the server's bridge on its network: $out"
}

case_an_allow_list_opens_only_what_it_names() {
    local name
    name=$(rt_name allow)
    servers_config "$(fixture "$name" '"network": {"allow": ["allowed.test:8080"]}')"
    run_ccmcp start "$name"
    expect_exit 0
    start_upstream allow
    docker network connect "$UP_NET" "cc-mcp-gw-$name" || fail "cannot connect the gateway"

    # The server's container is told where the proxy is.
    local env
    env=$(rt_inspect "$name" '{{json .Config.Env}}')
    [[ $env == *'"HTTPS_PROXY=http://cc-mcp-egress:3128"'* && $env == *'"http_proxy=http://cc-mcp-egress:3128"'* ]] ||
        fail "proxy variables: $env"

    local out
    out=$(probe "cc-mcp-$name" "$(connect_js allowed.test:8080)")
    [[ $out == "200 HTTP/1.1 200 OK"*"hello from upstream /t" ]] || fail "CONNECT allowed.test: $out"
    out=$(probe "cc-mcp-$name" "$(http_proxy_js allowed.test:8080)")
    [ "$out" = "200 hello from upstream /plain" ] || fail "http:// through the proxy: $out"
    out=$(probe "cc-mcp-$name" "$(connect_js denied.test:8080)")
    [ "$out" = "403 cc-mcp egress proxy: denied.test:8080 is not in this server's allow-list (add it to \"network\": {\"allow\": [...]} in mcp.json)" ] ||
        fail "CONNECT denied.test: $out"
    out=$(probe "cc-mcp-$name" "$(connect_js allowed.test:9999)")
    [[ $out == "403 "*"allowed.test:9999 is not in this server's allow-list"* ]] || fail "another port: $out"
    # Around the proxy: nothing.
    out=$(probe "cc-mcp-$name" "$(tcp_probe_js allowed.test 8080)")
    unreachable "$out" || fail "reached around the proxy: $out"
    # A client that ignores proxy variables (Node's fetch): the allowed name
    # is in the server's /etc/hosts, sent to the gateway's own port 8080.
    local hosts
    hosts=$(rt_inspect "$name" '{{json .HostConfig.ExtraHosts}}')
    [[ $hosts =~ ^\[\"allowed\.test:[0-9.]+\"\]$ ]] || fail "ExtraHosts: $hosts"
    local add_host=(--add-host "$(rt_inspect "$name" '{{index .HostConfig.ExtraHosts 0}}')")
    out=$(probe "cc-mcp-$name" "$(direct_http_js allowed.test:8080)" "${add_host[@]}")
    [ "$out" = "200 hello from upstream /direct" ] || fail "allowed.test without the proxy: $out"
    out=$(probe "cc-mcp-$name" "$(direct_http_js denied.test:8080)" "${add_host[@]}")
    unreachable "$out" || fail "denied.test without the proxy: $out"
    docker logs "cc-mcp-gw-$name" 2>&1 | grep -q "egress refused: denied.test:8080 (not in the allow-list)" ||
        fail "the gateway's log: $(docker logs "cc-mcp-gw-$name" 2>&1)"

    [ "$(status_of "$name" 's["network"]')" = "{'allow': ['allowed.test:8080']}" ] ||
        fail "status network: $(stdout_text)"
    run_ccmcp status
    grep -qE "^$name +✓ running +docker +allow 1 " "$BB_ROOT/out/stdout" || fail "status table: $(stdout_text)"

    # A changed list: the gateway is made again, and the new list holds. Two
    # names on one port: a direct connection goes where its Host header says.
    local gateway_id
    gateway_id=$(docker inspect -f '{{.Id}}' "cc-mcp-gw-$name")
    servers_config "$(fixture "$name" '"network": {"allow": ["allowed.test:8080", "denied.test:8080"]}')"
    run_ccmcp start "$name"
    expect_exit 0
    [ "$(docker inspect -f '{{.Id}}' "cc-mcp-gw-$name")" != "$gateway_id" ] || fail "the gateway was not recreated"
    docker network connect "$UP_NET" "cc-mcp-gw-$name" || fail "cannot connect the new gateway"
    out=$(probe "cc-mcp-$name" "$(connect_js denied.test:8080)")
    [[ $out == "200 "*"hello from upstream /t" ]] || fail "CONNECT denied.test, now allowed: $out"
    add_host=()
    for host in $(rt_inspect "$name" '{{range .HostConfig.ExtraHosts}}{{.}} {{end}}'); do
        add_host+=(--add-host "$host")
    done
    [ ${#add_host[@]} = 4 ] || fail "ExtraHosts: $(rt_inspect "$name" '{{json .HostConfig.ExtraHosts}}')"
    out=$(probe "cc-mcp-$name" "$(direct_http_js denied.test:8080)" "${add_host[@]}")
    [ "$out" = "200 hello from upstream /direct" ] || fail "denied.test without the proxy, now allowed: $out"
    out=$(probe "cc-mcp-$name" "$(direct_http_js allowed.test:8080)" "${add_host[@]}")
    [ "$out" = "200 hello from upstream /direct" ] || fail "allowed.test without the proxy: $out"
    # A name the list does not hold, sent to the gateway anyway: refused.
    out=$(probe "cc-mcp-$name" "$(direct_http_js third.test:8080)" "${add_host[@]}" \
        --add-host "third.test:$(rt_inspect "$name" '{{index .HostConfig.ExtraHosts 0}}' | cut -d: -f2)")
    [[ $out == "error ECONNRESET" || $out == "error "* ]] || fail "third.test to the gateway: $out"
    docker logs "cc-mcp-gw-$name" 2>&1 | grep -q "egress refused: a connection to port 8080 for third.test (not in the allow-list)" ||
        fail "the gateway's log: $(docker logs "cc-mcp-gw-$name" 2>&1)"
    out=$(probe "cc-mcp-$name" "$(connect_js third.test:8080)")
    [[ $out == "403 "* ]] || fail "CONNECT third.test: $out"
}

case_no_server_reaches_another() {
    local a b
    a=$(rt_name one)
    b=$(rt_name two)
    # Even named in the allow-list, the other server is not on any network of a's.
    servers_config "$(fixture "$a" "\"network\": {\"allow\": [\"mcp-$b:3000\", \"cc-mcp-gw-$b:3000\"]}"), $(fixture "$b")"
    run_ccmcp start "$a" "$b"
    expect_exit 0
    local out target
    for target in "mcp-$b" "cc-mcp-gw-$b"; do
        out=$(probe "cc-mcp-$a" "$(tcp_probe_js "$target" 3000)")
        unreachable "$out" || fail "$a reached $target directly: $out"
        out=$(probe "cc-mcp-$a" "$(connect_js "$target:3000")")
        # (mcp-B: no such name on a's networks; B's gateway: on the edge,
        # where nothing gets through.)
        [[ $out == "502 cc-mcp egress proxy: cannot "*"$target"* ]] || fail "$a reached $target through its proxy: $out"
    done
    # The gateways share the edge network, where containers cannot talk.
    out=$(probe cc-mcp_edge "$(tcp_probe_js "cc-mcp-gw-$b" 3000)")
    unreachable "$out" || fail "a container on the edge reached $b's gateway: $out"
    # Both still serve their own clients.
    local name port answer
    for name in "$a" "$b"; do
        port=$(rt_port "$name")
        answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"mine"}}')
        [[ $answer == *'"text":"mine"'* ]] || fail "$name through its URL: $answer"
    done
}

case_full_network_is_explicit_and_shown() {
    local name
    name=$(rt_name full)
    servers_config "$(fixture "$name" '"network": "full"')"
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")
    [ "$(docker network inspect -f '{{.Internal}}' "cc-mcp-$name")" = false ] || fail "its network is internal"
    [ "$(docker port "mcp-$name" 3000/tcp)" = "127.0.0.1:$port" ] || fail "docker port: $(docker port "mcp-$name")"
    [ -z "$(docker ps -aq --filter "name=^cc-mcp-gw-$name\$")" ] || fail "a gateway was made"
    [ "$(status_of "$name" 's["network"]')" = full ] || fail "status network: $(stdout_text)"
    run_ccmcp status
    grep -qE "^$name +✓ running +docker +full " "$BB_ROOT/out/stdout" || fail "status table: $(stdout_text)"

    # Back to none: the network is made again internal, a gateway takes the
    # same port, and the server answers through it; then full again.
    servers_config "$(fixture "$name")"
    run_ccmcp start "$name"
    expect_exit 0
    [ "$(docker network inspect -f '{{.Internal}}' "cc-mcp-$name")" = true ] || fail "not internal after none"
    [ "$(docker port "cc-mcp-gw-$name" 3000/tcp)" = "127.0.0.1:$port" ] || fail "gateway port"
    local answer
    answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"back"}}')
    [[ $answer == *'"text":"back"'* ]] || fail "after none: $answer"
    servers_config "$(fixture "$name" '"network": "full"')"
    run_ccmcp start "$name"
    expect_exit 0
    [ -z "$(docker ps -aq --filter "name=^cc-mcp-gw-$name\$")" ] || fail "the gateway stayed"
    answer=$(mcp_call "http://127.0.0.1:$port/mcp" tools/call '{"name":"echo","arguments":{"text":"full"}}')
    [[ $answer == *'"text":"full"'* ]] || fail "after full again: $answer"
}

case_stop_and_rm_take_the_gateway_and_the_network() {
    local name
    name=$(rt_name gone)
    servers_config "$(fixture "$name")"
    run_ccmcp start "$name"
    expect_exit 0
    run_ccmcp stop "$name"
    expect_exit 0
    [ "$(docker inspect -f '{{.State.Status}}' "cc-mcp-gw-$name")" = exited ] || fail "the gateway still runs"
    run_ccmcp start "$name"
    expect_exit 0
    # A gateway that died leaves the server unreachable: status says so.
    docker stop -t 1 "cc-mcp-gw-$name" >/dev/null
    [ "$(status_of "$name" 's["state"]')" = unhealthy ] || fail "status with its gateway stopped: $(stdout_text)"
    [[ $(status_of "$name" 's["detail"]') == "its gateway cc-mcp-gw-$name is exited (cc-mcp restart $name)" ]] ||
        fail "detail: $(stdout_text)"
    run_ccmcp restart "$name"
    expect_exit 0
    [ "$(status_of "$name" 's["state"]')" = running ] || fail "after restart: $(stdout_text)"
    run_ccmcp rm "$name"
    expect_exit 0
    [ -z "$(docker ps -aq --filter "name=^cc-mcp-gw-$name\$")" ] || fail "rm left the gateway"
    docker network inspect "cc-mcp-$name" >/dev/null 2>&1 && fail "rm left the network"
    return 0
}

case_a_foreign_network_of_that_name_is_refused_and_untouched() {
    local name
    name=$(rt_name foreign)
    docker network create "cc-mcp-$name" >/dev/null || fatal "cannot make the network"
    servers_config "$(fixture "$name")"
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"$name\": a Docker network named \"cc-mcp-$name\" exists that cc-mcp did not make for it; it was left alone (remove it yourself (docker network rm cc-mcp-$name) if nothing needs it, or rename the server in mcp.json)"
    [ -z "$(docker ps -aq --filter "name=$name")" ] || fail "a container was made"
    [ "$(docker network inspect -f '{{.Internal}}' "cc-mcp-$name")" = false ] || fail "the network was changed"
}

case_bad_network_settings_are_refused() {
    local name
    name=$(rt_name bad)
    local setting
    for setting in '"network": "some"' '"network": {"allow": "x.com:443"}' \
        '"network": {"allow": ["bad host:443"]}' '"network": {"allow": ["x.com:70000"]}' \
        '"network": 3' '"network": {}'; do
        servers_config "$(fixture "$name" "$setting")"
        run_ccmcp start "$name"
        expect_exit 1
        [[ $(stderr_text) == *"network"* ]] || fail "$setting: $(stderr_text)"
    done
    write mcp.json <<EOF
{"mcpServers": {"$name": {"command": "/bin/true", "network": "full"}}}
EOF
    run_ccmcp start "$name"
    expect_exit 1
    [[ $(stderr_text) == *"network rules apply to docker mode only"* ]] || fail "external: $(stderr_text)"
    [ -z "$(docker ps -aq --filter "name=$name")" ] || fail "a container was made"
    docker network inspect "cc-mcp-$name" >/dev/null 2>&1 && fail "a network was made"
    return 0
}

run_cases
