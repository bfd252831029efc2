# `config show`: the effective config as text and JSON, defaults marked,
# paths resolved against the folder of mcp.json.
#
# usage: bash config_show_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bb_init "$@"

# A config in sub/, read from its parent folder: relative paths resolve
# against the folder of mcp.json, not the current one.
write_show_config() {
    mkdir -p sub/data sub/build shared
    : >sub/build/Dockerfile
    write sub/mcp.json <<'EOF'
{
  "mcpServers": {
    "web": {
      "mode": "docker",
      "volumes": { "./data": "/data", "../shared/": "/shared:ro" },
      "environment": { "TOKEN": "x" },
      "limits": { "memory": "1g" },
      "docker": { "dockerfile": "build/Dockerfile", "buildArgs": { "V": "1" } }
    },
    "gitty": {
      "source": { "type": "git", "repository": "https://example.com/r.git", "path": "srv" },
      "limits": { "cpus": 2, "pids": 64 }
    }
  }
}
EOF
}

case_show_text() {
    write_show_config
    snapshot sub/mcp.json
    run_ccmcp --config sub/mcp.json config show web
    expect_exit 0
    expect_no_stderr
    expect_stdout <<EOF
web
  mode               docker
  enabled            yes
  image              cc-mcp/web:latest (default)
  container          mcp-web
  network            none (default)
  environment        TOKEN=x
  volume             $tmp/sub/data -> /data
  volume             $tmp/shared -> /shared (read-only)
  memory             1g
  cpus               1.0 (default)
  pids               256 (default)
  audit              on (default)
  docker.dockerfile  $tmp/sub/build/Dockerfile
  docker.context     $tmp/sub/build
  docker.buildArgs   V=1
EOF
    run_ccmcp --config sub/mcp.json config show gitty
    expect_exit 0
    expect_stdout <<'EOF'
gitty
  mode                  docker (default)
  enabled               yes
  image                 cc-mcp/gitty:latest (default)
  container             mcp-gitty
  network               none (default)
  memory                512m (default)
  cpus                  2.0
  pids                  64
  audit                 on (default)
  source.type           git
  source.repository     https://example.com/r.git
  source.path           srv
  source.branch         (remote default)
  source.updatePolicy   manual (default)
  source.checkInterval  24h (default)
EOF
    run_ccmcp --config sub/mcp.json config show
    expect_exit 0
    [ "$(head -n 2 "$BB_ROOT/out/stdout")" = "# $tmp/sub/mcp.json"$'\n'web ] ||
        fail "config show without a name starts: $(head -n 2 "$BB_ROOT/out/stdout")"
    expect_stdout_line gitty
    run_ccmcp --config sub/mcp.json config show gity
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "gity": no such server in mcp.json (did you mean "gitty"?)'
    expect_unchanged sub/mcp.json
}

case_show_json() {
    write_show_config
    run_ccmcp --config sub/mcp.json --json config show web
    expect_exit 0
    expect_no_stderr
    expect_json
    [ "$(json_value '(d["name"], d["mode"], d["image"], d["limits"], d["defaults"])')" = \
        "('web', 'docker', 'cc-mcp/web:latest', {'memory': '1g', 'cpus': 1.0, 'pids': 256}, ['image', 'network', 'limits.cpus', 'limits.pids', 'audit'])" ] ||
        fail "config show web --json: $(stdout_text)"
    [ "$(json_value '(d["volumes"], d["docker"])')" = \
        "([{'host': '$tmp/sub/data', 'container': '/data', 'readOnly': False}, {'host': '$tmp/shared', 'container': '/shared', 'readOnly': True}], {'dockerfile': '$tmp/sub/build/Dockerfile', 'context': '$tmp/sub/build', 'buildArgs': {'V': '1'}})" ] ||
        fail "config show web --json: paths not resolved against sub/: $(stdout_text)"
    run_ccmcp --config sub/mcp.json --json config show
    expect_exit 0
    [ "$(json_value '(d["config"], [s["name"] for s in d["servers"]], d["servers"][1]["defaults"])')" = \
        "('$tmp/sub/mcp.json', ['web', 'gitty'], ['mode', 'image', 'network', 'limits.memory', 'audit', 'source.branch', 'source.updatePolicy', 'source.checkInterval'])" ] ||
        fail "config show --json: $(stdout_text)"
}

case_show_refuses_an_invalid_config() {
    write mcp.json <<<'{"mcpServers": {"a": {"command": "x", "limits": {"pids": -3}}}}'
    run_ccmcp config show a
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: mcp.json:1:58: mcpServers.a.limits.pids: -3 is not a process count (use a whole number such as 256)'
}

case_show_resolves_against_the_found_file() {
    # Found in $CC_MCP_HOME, shown from another folder: ./ is the home
    # folder, ~ is $HOME.
    write home/mcp.json <<'EOF'
{ "mcpServers": { "h": { "image": "x/h", "volumes": ["./data:/data", "~/notes:/notes:ro"] } } }
EOF
    mkdir -p home/data notes elsewhere
    cd elsewhere
    run_ccmcp config show h
    expect_exit 0
    expect_no_stderr
    expect_stdout_line "  volume     $tmp/home/data -> /data"
    expect_stdout_line "  volume     $tmp/notes -> /notes (read-only)"
}

run_cases
