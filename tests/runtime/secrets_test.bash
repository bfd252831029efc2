# Secrets (issue 14, part 2) against the real engine: secret set|list|rm,
# the store encrypted at rest, "${secret:KEY}" in mcp.json handed to the
# server through a tmpfs file (never the container's Env, the image, logs
# or any output), a changed secret recreating the container, a missing one
# refused with nothing changed; external mode gets them in its process only.
#
# usage: RT_BRIDGE=build/cc-mcp-bridge RT_FAKE=build/fake_mcp_server \
#        bash secrets_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_runtime.bash"
bb_init "$@"
rt_require_engine
RT_BRIDGE=$(readlink -f "${RT_BRIDGE:?RT_BRIDGE names the static bridge}")
RT_FAKE=$(readlink -f "${RT_FAKE:?RT_FAKE names the fake server}")
rt_fixture_images "$RT_BRIDGE" "$RT_FAKE"

SECRET="s3cr3t-$$-do-not-show"

# secret_config NAME: a fixture server whose environment refers to TOKEN
# twice (whole, and inside a longer value) beside a plain variable; the fake
# server prints AUTH on stderr at start (a server that logs its credentials).
secret_config() {
    write mcp.json <<JSON
{"mcpServers": {"$1": {"image": "$RT_FIXTURE",
  "environment": {"PLAIN": "visible", "API_TOKEN": "\${secret:TOKEN}", "AUTH": "Bearer \${secret:TOKEN}"},
  "args": ["--print-env", "AUTH"]}}}
JSON
}

# getenv PORT VAR: what the server process has in VAR, asked through the URL.
getenv() {
    mcp_call "http://127.0.0.1:$1/mcp" tools/call "{\"name\":\"getenv\",\"arguments\":{\"name\":\"$2\"}}"
}

# expect_nowhere WHAT FILE...: the secret value is in none of them.
expect_nowhere() {
    local what=$1
    shift
    if grep -rqF -- "$SECRET" "$@" 2>/dev/null; then
        fail "$what shows the secret value"
    fi
}

case_set_list_rm_and_the_store_at_rest() {
    local name
    name=$(rt_name store)
    secret_config "$name"
    run_ccmcp secret set "$name" TOKEN <<<"$SECRET"
    expect_exit 0
    expect_stdout_line "✓ Stored secret TOKEN of $name (encrypted)"
    run_ccmcp secret set "$name" OTHER_KEY <<<"other-value"
    expect_exit 0

    # list: names only, for people and --json
    run_ccmcp secret list
    expect_exit 0
    grep -qE "^$name +OTHER_KEY$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"
    grep -qE "^$name +TOKEN$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"
    expect_nowhere "secret list" "$BB_ROOT/out"
    run_ccmcp --json secret list "$name"
    expect_exit 0
    [ "$(json_value '[(r["name"], r["key"]) for r in d["secrets"]]')" = "[('$name', 'OTHER_KEY'), ('$name', 'TOKEN')]" ] ||
        fail "list --json: $(stdout_text)"
    expect_nowhere "secret list --json" "$BB_ROOT/out"

    # at rest: encrypted, private
    [ -f home/secrets/store.json ] || fail "no store file"
    expect_nowhere "the store file" home/secrets/store.json
    grep -qF "other-value" home/secrets/store.json && fail "the store file holds a value in the clear"
    [ "$(stat -c %a home/secrets/key)" = 600 ] || fail "key mode $(stat -c %a home/secrets/key)"
    [ "$(stat -c %s home/secrets/key)" = 32 ] || fail "key size $(stat -c %s home/secrets/key)"
    [ "$(stat -c %a home/secrets)" = 700 ] || fail "folder mode $(stat -c %a home/secrets)"
    [ "$(stat -c %a home/secrets/store.json)" = 600 ] || fail "store mode"

    # bad input: said, nothing changed
    snapshot home/secrets/store.json
    run_ccmcp secret set "$name" TOKEN </dev/null
    expect_exit 2
    expect_stderr_line "cc-mcp: error: \"TOKEN\": the value is empty (type it at the prompt, or pipe it: printf %s \"\$VALUE\" | cc-mcp secret set $name TOKEN)"
    run_ccmcp secret set "$name" 1BAD <<<"x"
    expect_exit 2
    expect_stderr_line "cc-mcp: error: \"1BAD\": is not a secret key (use letters, digits and '_', not starting with a digit, e.g. API_TOKEN)"
    run_ccmcp secret set nosuchserver TOKEN <<<"x"
    expect_exit 1
    [[ $(stderr_text) == "cc-mcp: error: "*nosuchserver* ]] || fail "unknown server: $(stderr_text)"
    run_ccmcp secret rm "$name" NOPE
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"$name\": has no secret \"NOPE\" (cc-mcp secret list $name shows the ones it has)"
    expect_unchanged home/secrets/store.json

    run_ccmcp secret rm "$name" OTHER_KEY
    expect_exit 0
    expect_stdout_line "✓ Removed secret OTHER_KEY of $name"
    run_ccmcp --json secret list
    [ "$(json_value '[r["key"] for r in d["secrets"]]')" = "['TOKEN']" ] || fail "after rm: $(stdout_text)"
}

case_malformed_reference_is_refused_by_validate() {
    local name
    name=$(rt_name bad)
    write mcp.json <<JSON
{"mcpServers": {"$name": {"image": "$RT_FIXTURE", "environment": {"A": "\${secret:BAD-KEY}", "B": "x \${secret:OPEN"}}}}
JSON
    run_ccmcp config validate
    expect_exit 1
    grep -qF 'environment.A: the secret reference "${secret:BAD-KEY}" has a bad key "BAD-KEY"' "$BB_ROOT/out/stderr" "$BB_ROOT/out/stdout" ||
        fail "no diagnostic for A: $(stderr_text)"
    grep -qF 'environment.B: the secret reference "${secret:OPEN" has no closing "}"' "$BB_ROOT/out/stderr" "$BB_ROOT/out/stdout" ||
        fail "no diagnostic for B: $(stderr_text)"
}

case_missing_secret_refuses_start_and_changes_nothing() {
    local name
    name=$(rt_name missing)
    secret_config "$name"
    snapshot mcp.json
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"$name\": secret \"TOKEN\" is not set (cc-mcp secret set $name TOKEN)"
    expect_unchanged mcp.json
    [ -z "$(docker ps -aq --filter "name=^mcp-$name\$")" ] || fail "a container was made"
    expect_missing home/state/servers.json
}

case_an_image_whose_bridge_predates_secrets_is_refused() {
    local name old=cc-mcp-test/$RT_PREFIX-old-bridge:1
    name=$(rt_name old)
    # The fixture's files, labelled as images were before secrets.
    tar -C "$RT_WORK/root" -c . | docker import \
        -c 'ENTRYPOINT ["/cc-mcp-bridge","--host","0.0.0.0","--port","3000","--","/fake_mcp_server"]' \
        -c 'LABEL dev.cc-mcp.bridge=true' - "$old" >/dev/null || fatal "docker import failed"
    write mcp.json <<JSON
{"mcpServers": {"$name": {"image": "$old", "environment": {"API_TOKEN": "\${secret:TOKEN}"}}}}
JSON
    run_ccmcp secret set "$name" TOKEN <<<"$SECRET"
    expect_exit 0
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"$name\": its image $old has a cc-mcp-bridge older than secrets: the server would start without them (rebuild it with this cc-mcp (cc-mcp build $name))"
    [ -z "$(docker ps -aq --filter "name=^mcp-$name\$")" ] || fail "a container was made"
    docker network inspect "cc-mcp-$name" >/dev/null 2>&1 && fail "a network was made"
    return 0
}

case_start_hands_the_secret_to_the_server_only() {
    local name
    name=$(rt_name run)
    secret_config "$name"
    run_ccmcp secret set "$name" TOKEN <<<"$SECRET"
    expect_exit 0
    run_ccmcp start "$name"
    expect_exit 0
    local port
    port=$(rt_port "$name")

    # the server process has it (whole, and inside a longer value)
    local answer
    answer=$(getenv "$port" API_TOKEN)
    [[ $answer == *"\"text\":\"$SECRET\""* ]] || fail "API_TOKEN in the server: $answer"
    answer=$(getenv "$port" AUTH)
    [[ $answer == *"\"text\":\"Bearer $SECRET\""* ]] || fail "AUTH in the server: $answer"
    answer=$(getenv "$port" PLAIN)
    [[ $answer == *'"text":"visible"'* ]] || fail "PLAIN in the server: $answer"
    answer=$(getenv "$port" CC_MCP_ENV_FILE)
    [[ $answer == *'"text":"(unset)"'* ]] || fail "the server sees the file's name: $answer"

    # ... and nothing else has it
    docker inspect "mcp-$name" >"$BB_ROOT/out/inspect" || fail "no container"
    expect_nowhere "docker inspect" "$BB_ROOT/out/inspect"
    rt_inspect "$name" '{{json .Config.Env}}' | grep -qF '"PLAIN=visible"' || fail "Env lost PLAIN"
    rt_inspect "$name" '{{json .Config.Env}}' | grep -qE 'API_TOKEN|AUTH=' && fail "Env names the secret variables"
    docker image inspect "$RT_FIXTURE" >"$BB_ROOT/out/image"
    docker history --no-trunc "$RT_FIXTURE" >>"$BB_ROOT/out/image"
    expect_nowhere "the image" "$BB_ROOT/out/image"
    expect_nowhere "mcp.json" mcp.json
    grep -qF '${secret:TOKEN}' mcp.json || fail "mcp.json lost the reference"

    # the file: on a tmpfs, read-only in the container, private on the host
    local source
    source=$(rt_inspect "$name" '{{range .Mounts}}{{if eq .Destination "/run/cc-mcp/secrets.json"}}{{.Source}}{{end}}{{end}}')
    [ -n "$source" ] && [ -f "$source" ] || fatal "no secrets file mounted: $(rt_inspect "$name" '{{json .Mounts}}')"
    [ "$(stat -f -c %T "$source")" = tmpfs ] || fail "$source is on $(stat -f -c %T "$source"), not a tmpfs"
    [ "$(stat -c %a "$(dirname "$source")")" = 700 ] || fail "its folder is not private"
    [ "$(stat -c %u "$source")" = 1001 ] || fail "not owned by the container's user"
    rt_inspect "$name" '{{range .Mounts}}{{if eq .Destination "/run/cc-mcp/secrets.json"}}{{.RW}}{{end}}{{end}}' |
        grep -qx false || fail "mounted writable"

    # logs: the server printed it; *** in its place (the whole variable)
    run_ccmcp logs "$name"
    expect_exit 0
    expect_nowhere "cc-mcp logs" "$BB_ROOT/out"
    grep -qF "fake server: AUTH=***" "$BB_ROOT/out/stderr" "$BB_ROOT/out/stdout" ||
        fail "no masked line in the log: $(stderr_text)"
    docker logs "mcp-$name" >"$BB_ROOT/out/docker-logs" 2>&1
    expect_nowhere "docker logs" "$BB_ROOT/out/docker-logs"

    # every output shows the reference, never the value
    local command
    for command in "config show" "config show $name" "--json config show" "status" "--json status" \
        "list" "--json list" "--json secret list"; do
        run_ccmcp $command
        expect_nowhere "cc-mcp $command" "$BB_ROOT/out"
    done
    run_ccmcp config show "$name"
    grep -qF '${secret:TOKEN}' "$BB_ROOT/out/stdout" || fail "config show lost the reference: $(stdout_text)"
    expect_nowhere "\$CC_MCP_HOME" home

    # unchanged: left running
    run_ccmcp start "$name"
    expect_exit 0
    expect_stdout_line "$name is already running at http://127.0.0.1:$port/mcp"

    # rm takes the file away with the container
    run_ccmcp rm "$name"
    expect_exit 0
    expect_missing "$source"
}

case_changed_secret_recreates_at_next_start() {
    local name
    name=$(rt_name change)
    secret_config "$name"
    run_ccmcp secret set "$name" TOKEN <<<"first-$SECRET"
    run_ccmcp start "$name"
    expect_exit 0
    local port id
    port=$(rt_port "$name")
    id=$(rt_inspect "$name" '{{.Id}}')
    run_ccmcp secret set "$name" TOKEN <<<"$SECRET"
    expect_exit 0
    expect_stdout_line "✓ Replaced secret TOKEN of $name (encrypted)"
    run_ccmcp start "$name"
    expect_exit 0
    [[ $(stdout_text) == *"recreated"* ]] || fail "not recreated: $(stdout_text)"
    [ "$(rt_inspect "$name" '{{.Id}}')" != "$id" ] || fail "the same container"
    [ "$(rt_port "$name")" = "$port" ] || fail "the port changed"
    local answer
    answer=$(getenv "$port" API_TOKEN)
    [[ $answer == *"\"text\":\"$SECRET\""* ]] || fail "the new value did not arrive: $answer"

    # removed from the store: the next start refuses, the container stays
    run_ccmcp secret rm "$name" TOKEN
    run_ccmcp start "$name"
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"$name\": secret \"TOKEN\" is not set (cc-mcp secret set $name TOKEN)"
    [ "$(rt_inspect "$name" '{{.State.Status}}')" = running ] || fail "the container was touched"
    local source
    source=$(rt_inspect "$name" '{{range .Mounts}}{{.Source}}{{end}}')
    run_ccmcp rm "$name"
    expect_exit 0
    expect_missing "$source"
}

case_external_mode_gets_it_in_its_process_only() {
    local name
    name=$(rt_name ext)
    write mcp.json <<JSON
{"mcpServers": {"$name": {"mode": "external", "command": "$RT_FAKE", "args": ["--print-env", "API_TOKEN"],
  "environment": {"API_TOKEN": "\${secret:TOKEN}"}}}}
JSON
    run_ccmcp secret set "$name" TOKEN <<<"$SECRET"
    run_ccmcp CC_MCP_BRIDGE="$RT_BRIDGE" start "$name"
    expect_exit 0
    local port answer
    port=$(rt_port "$name")
    answer=$(getenv "$port" API_TOKEN)
    [[ $answer == *"\"text\":\"$SECRET\""* ]] || fail "the external server lacks it: $answer"
    run_ccmcp logs "$name"
    grep -qF "fake server: API_TOKEN=***" "$BB_ROOT/out/stdout" "$BB_ROOT/out/stderr" ||
        fail "no masked line: $(stdout_text) $(stderr_text)"
    expect_nowhere "cc-mcp logs" "$BB_ROOT/out"
    expect_nowhere "\$CC_MCP_HOME (status, pid and log files)" home
    run_ccmcp stop "$name"
    expect_exit 0
}

# The bridge itself, --shared (one server for every session) with
# --env-file: the variables reach the server, its stderr is masked.
case_bridge_env_file_in_shared_mode() {
    write env.json <<JSON
{"env": {"API_TOKEN": "$SECRET"}, "redact": ["$SECRET"]}
JSON
    local port
    port=$("$BB_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$RT_BRIDGE" --port "$port" --shared --env-file env.json -- "$RT_FAKE" --print-env API_TOKEN \
        2>bridge.log &
    local bridge=$!
    wait_for "curl -s -o /dev/null http://127.0.0.1:$port/healthz" 10 || fail "the bridge did not come up"
    local answer
    answer=$(getenv "$port" API_TOKEN)
    [[ $answer == *"\"text\":\"$SECRET\""* ]] || fail "the shared server lacks it: $answer"
    kill "$bridge"
    wait "$bridge"
    grep -qF "fake server: API_TOKEN=***" bridge.log || fail "not masked: $(cat bridge.log)"
    grep -qF "cc-mcp-bridge: serving" bridge.log || fail "the bridge's own lines were lost: $(cat bridge.log)"
    expect_nowhere "the bridge's stderr" bridge.log

    # a file it cannot read: it says so and does not serve
    "$RT_BRIDGE" --port "$port" --env-file missing.json -- "$RT_FAKE" 2>bridge.log
    [ $? = 1 ] || fail "a missing --env-file did not fail the bridge"
    grep -qF 'cc-mcp-bridge: error: --env-file: cannot read "missing.json"' bridge.log || fail "said: $(cat bridge.log)"
}

run_cases
