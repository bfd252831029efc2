# cc-mcp client (the clients' MCP configs for the running servers) and the
# errors of cc-mcp connect, in temporary project folders. A running
# external server is a process holding its pid file's lock (as its
# supervisor does); running containers come from a fake engine on a unix
# socket (python3).
#
# usage: bash client_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
bb_init "$@"

# mcp_json: fs (docker), ev and other (external).
mcp_json() {
    write mcp.json <<'EOF'
{
  "mcpServers": {
    "fs": { "mode": "docker", "image": "cc-mcp/fs:latest" },
    "ev": { "command": "node", "args": ["server.js"] },
    "other": { "command": "node", "args": ["other.js"] }
  }
}
EOF
}

# ports NAME=PORT...: the state's ports.
ports() {
    mkdir -p "$tmp/home/state"
    local json="" pair
    for pair; do json+="${json:+, }\"${pair%%=*}\": {\"port\": ${pair#*=}}"; done
    echo "{\"servers\": {$json}}" >"$tmp/home/state/servers.json"
}

# run_external NAME: NAME's supervisor "runs" until stop_external NAME.
run_external() {
    mkdir -p "$tmp/home/run"
    echo 4242 >"$tmp/home/run/$1.pid"
    flock "$tmp/home/run/$1.pid" sleep 300 &
    echo $! >"$BB_ROOT/out/holder.$1"
    local i
    for i in $(seq 1 100); do
        flock -n "$tmp/home/run/$1.pid" true || return 0
        sleep 0.02
    done
    fatal "the lock holder of $1 did not start"
}
stop_external() {
    local pid
    pid=$(cat "$BB_ROOT/out/holder.$1")
    pkill -P "$pid" 2>/dev/null
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$BB_ROOT/out/holder.$1"
}
stop_all_external() {
    local holder
    for holder in "$BB_ROOT"/out/holder.*; do
        [ -f "$holder" ] && stop_external "${holder##*holder.}"
    done
}

# fake_engine CONTAINERS_JSON: a Docker engine on $tmp/docker.sock that
# answers /version and /containers/json (with CONTAINERS_JSON).
fake_engine() {
    cat >"$BB_ROOT/out/engine.py" <<'EOF'
import http.server, json, os, socketserver, sys
sock, containers = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def address_string(self): return "engine"
    def log_message(self, *args): pass
    def do_GET(self):
        if self.path == "/version":
            body = json.dumps({"Version": "20.10.24", "ApiVersion": "1.41"})
        elif self.path.startswith("/v1.41/containers/json?filters="):
            body = containers
        else:
            self.send_response(404); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())
class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer): pass
if os.path.exists(sock): os.unlink(sock)
Server(sock, Handler).serve_forever()
EOF
    python3 "$BB_ROOT/out/engine.py" "$tmp/docker.sock" "$1" &
    echo $! >"$BB_ROOT/out/engine.pid"
    local i
    for i in $(seq 1 100); do [ -S "$tmp/docker.sock" ] && return 0; sleep 0.02; done
    fatal "the fake engine did not start"
}
stop_engine() {
    [ -f "$BB_ROOT/out/engine.pid" ] && kill "$(cat "$BB_ROOT/out/engine.pid")" 2>/dev/null
}
ENGINE=DOCKER_HOST=unix://\$tmp/docker.sock
fs_container='[{"Id": "c1", "Labels": {"dev.cc-mcp.managed": "true", "dev.cc-mcp.name": "fs"}, "Ports": [{"IP": "127.0.0.1", "PrivatePort": 3000, "PublicPort": 21001, "Type": "tcp"}]}]'

case_prints_claude_code_config_for_running_servers() {
    mcp_json
    ports fs=21001 ev=21002 other=21003
    run_external ev
    fake_engine "$fs_container"
    run_ccmcp DOCKER_HOST="unix://$tmp/docker.sock" client claude-code
    expect_exit 0
    expect_stdout <<'EOF'
{
  "mcpServers": {
    "ev": {
      "type": "http",
      "url": "http://127.0.0.1:21002/mcp"
    },
    "fs": {
      "type": "http",
      "url": "http://127.0.0.1:21001/mcp"
    }
  }
}
EOF
    expect_stderr 'cc-mcp: for .mcp.json; cc-mcp client claude-code --write merges it there'
    expect_missing .mcp.json
    run_ccmcp DOCKER_HOST="unix://$tmp/docker.sock" --json client cursor
    expect_exit 0
    [ "$(json_value '(d["client"], d["written"], d["servers"]["fs"], d["file"])')" = "('cursor', False, {'url': 'http://127.0.0.1:21001/mcp'}, '$tmp/.cursor/mcp.json')" ] ||
        fail "--json: $(stdout_text)"
    stop_all_external
    stop_engine
}

case_nothing_runs() {
    write mcp.json <<<'{"mcpServers": {"ev": {"command": "node"}}}'
    run_ccmcp client vscode
    expect_exit 0
    expect_stdout <<'EOF'
{
  "servers": {}
}
EOF
    expect_stderr 'cc-mcp: no server runs now (start one with cc-mcp start NAME)'
    run_ccmcp client vscode --write
    expect_exit 0
    expect_stdout '.vscode/mcp.json is up to date (no server runs)'
    expect_missing .vscode
}

case_write_merges_keeps_what_is_not_ours_and_removes_stale_entries() {
    mcp_json
    ports ev=21002 other=21003
    run_external ev
    run_external other
    write project/.mcp.json <<'EOF'
{
  "mcpServers": {
    "mine": { "command": "my-server", "args": ["--flag"] }
  },
  "otherKey": [1, 2, 3]
}
EOF
    cp project/.mcp.json "$BB_ROOT/out/before.json"
    run_ccmcp client claude-code --write --project project
    expect_exit 0
    expect_stdout 'wrote project/.mcp.json: added ev, other (the previous content is in project/.mcp.json.bak)'
    expect_no_stderr
    expect_same_file project/.mcp.json.bak "$BB_ROOT/out/before.json"
    write "$BB_ROOT/out/expected.json" <<'EOF'
{
  "mcpServers": {
    "mine": { "command": "my-server", "args": ["--flag"] },
    "ev": {
      "type": "http",
      "url": "http://127.0.0.1:21002/mcp"
    },
    "other": {
      "type": "http",
      "url": "http://127.0.0.1:21003/mcp"
    }
  },
  "otherKey": [1, 2, 3]
}
EOF
    expect_same_file project/.mcp.json "$BB_ROOT/out/expected.json"
    # Again: nothing to do, nothing written.
    snapshot project/.mcp.json project/.mcp.json.bak
    run_ccmcp client claude-code --write --project project
    expect_exit 0
    expect_stdout 'project/.mcp.json is up to date (ev, other)'
    expect_unchanged project/.mcp.json project/.mcp.json.bak
    # other stops: its entry goes, the user's stays. A user entry named
    # like a server that never ran through cc-mcp is not ours: it stays.
    stop_external other
    python3 - project/.mcp.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); d["mcpServers"]["fs"] = {"url": "http://example.com/mcp"}
json.dump(d, open(sys.argv[1], "w"), indent=2)
EOF
    run_ccmcp --json client claude-code --write --project project
    expect_exit 0
    [ "$(json_value '(d["written"], d["removed"], d["unchanged"], d["added"])')" = "(True, ['other'], ['ev'], [])" ] ||
        fail "--json: $(stdout_text)"
    [ "$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["mcpServers"]))' project/.mcp.json)" = "['ev', 'fs', 'mine']" ] ||
        fail "after other stopped: $(cat project/.mcp.json)"
    grep -q '"otherKey"' project/.mcp.json || fail "otherKey was dropped"
    stop_all_external
}

case_write_keeps_comments_of_vscode_config() {
    mcp_json
    ports ev=21002
    run_external ev
    write .vscode/mcp.json <<'EOF'
// my servers
{
  "inputs": [],  // kept
  "servers": {
    "mine": { "type": "stdio", "command": "x" }
  }
}
EOF
    run_ccmcp client vscode --write
    expect_exit 0
    expect_stdout 'wrote .vscode/mcp.json: added ev (the previous content is in .vscode/mcp.json.bak)'
    write "$BB_ROOT/out/expected.json" <<'EOF'
// my servers
{
  "inputs": [],  // kept
  "servers": {
    "mine": { "type": "stdio", "command": "x" },
    "ev": {
      "type": "http",
      "url": "http://127.0.0.1:21002/mcp"
    }
  }
}
EOF
    expect_same_file .vscode/mcp.json "$BB_ROOT/out/expected.json"
    stop_all_external
}

case_cursor_file_is_created_in_its_folder() {
    mcp_json
    ports ev=21002
    run_external ev
    run_ccmcp client cursor --write
    expect_exit 0
    expect_stdout 'wrote .cursor/mcp.json: added ev'
    write "$BB_ROOT/out/expected.json" <<'EOF'
{
  "mcpServers": {
    "ev": {
      "url": "http://127.0.0.1:21002/mcp"
    }
  }
}
EOF
    expect_same_file .cursor/mcp.json "$BB_ROOT/out/expected.json"
    expect_missing .cursor/mcp.json.bak
    stop_all_external
}

case_claude_desktop_runs_connect() {
    mkdir project
    (cd project && mcp_json)
    ports ev=21002
    run_external ev
    run_ccmcp --config project/mcp.json client claude-desktop --write
    expect_exit 0
    expect_stdout "wrote .config/Claude/claude_desktop_config.json: added ev"
    python3 - "$tmp/.config/Claude/claude_desktop_config.json" "$BB_BIN" "$tmp" <<'EOF' || fail "claude_desktop_config.json: $(cat "$tmp/.config/Claude/claude_desktop_config.json")"
import json, sys
d = json.load(open(sys.argv[1]))
want = {"command": sys.argv[2], "args": ["--config", sys.argv[3] + "/project/mcp.json", "connect", "ev"],
        "env": {"CC_MCP_HOME": sys.argv[3] + "/home"}}
assert d == {"mcpServers": {"ev": want}}, d
EOF
    [ "$(stat -c %a "$tmp/.config/Claude/claude_desktop_config.json")" = 600 ] || fail "mode of the new file"
    # --file names another file; a file that is not JSON is refused, untouched.
    write broken.json <<<'{"mcpServers": {'
    snapshot broken.json
    run_ccmcp --config project/mcp.json client claude-desktop --write --file broken.json
    expect_exit 1
    expect_stderr 'cc-mcp: error: broken.json: is not valid JSON (line 1, column 16: this object is never closed) (add the missing '"'}'"'; it was left as it was)'
    expect_unchanged broken.json
    expect_missing broken.json.bak
    write list.json <<<'[1, 2]'
    run_ccmcp --config project/mcp.json client claude-desktop --write --file list.json
    expect_exit 1
    expect_stderr 'cc-mcp: error: list.json: does not hold a JSON object (fix it, or move it away; it was left as it was)'
    stop_all_external
}

case_symlinked_config_writes_its_target() {
    mcp_json
    ports ev=21002
    run_external ev
    write dotfiles/mcp.json <<<'{"mcpServers": {}}'
    ln -s dotfiles/mcp.json .mcp.json
    run_ccmcp client claude-code --write
    expect_exit 0
    [ -L .mcp.json ] || fail ".mcp.json is no longer a symlink"
    grep -q '"ev"' dotfiles/mcp.json || fail "the target was not written: $(cat dotfiles/mcp.json)"
    stop_all_external
}

case_bad_client_and_project() {
    write mcp.json <<<'{"mcpServers": {}}'
    run_ccmcp client claude-cod
    expect_exit 2
    expect_stderr 'cc-mcp: error: "claude-cod": is not a client cc-mcp knows (did you mean "claude-code"?)'
    run_ccmcp client
    expect_exit 2
    expect_stderr 'cc-mcp: error: cc-mcp client: needs a client (use one of claude-code, cursor, vscode, claude-desktop)'
    run_ccmcp client cursor --project nowhere
    expect_exit 1
    expect_stderr 'cc-mcp: error: "nowhere": is not a folder (--project names the project folder of the client'"'"'s config)'
}

case_unreachable_engine_is_an_error() {
    mcp_json
    run_ccmcp DOCKER_HOST="unix://$tmp/nothing.sock" client claude-code
    expect_exit 1
    expect_stderr "cc-mcp: error: cannot reach the Docker engine at unix://$tmp/nothing.sock (is dockerd running? scripts/setup starts it)"
}

case_connect_when_the_server_does_not_run() {
    mcp_json
    run_ccmcp connect ev
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "ev": not running (start it with cc-mcp start ev)'
    ports ev=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    run_ccmcp connect ev --wait 0
    expect_exit 1
    expect_no_stdout
    expect_stderr 'cc-mcp: error: "ev": not running (start it with cc-mcp start ev)'
    run_ccmcp connect eb
    expect_exit 1
    expect_stderr 'cc-mcp: error: "eb": no such server in mcp.json (did you mean "ev"?)'
}

case_connect_answers_bad_lines_itself() {
    mcp_json
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    ports ev=$port
    python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(60)' "$port" &
    local listener=$!
    sleep 0.3
    ccmcp_command --no-color connect ev
    printf '%s\n' 'not json' '[{"jsonrpc":"2.0","id":1,"method":"ping"}]' '{"jsonrpc":"2.0","id":2,"method":"ping"}' |
        "${CCMCP[@]}" >"$BB_ROOT/out/stdout" 2>"$BB_ROOT/out/stderr"
    status=$?
    BB_LAST="cc-mcp connect ev (bad lines)"
    kill "$listener"
    wait "$listener" 2>/dev/null
    expect_exit 0
    expect_stdout <<'EOF'
{"error":{"code":-32700,"message":"not valid JSON"},"id":null,"jsonrpc":"2.0"}
{"error":{"code":-32600,"message":"one JSON-RPC message per line (no batches)"},"id":null,"jsonrpc":"2.0"}
{"error":{"code":-32000,"message":"send initialize first"},"id":2,"jsonrpc":"2.0"}
EOF
    expect_no_stderr
}

run_cases
