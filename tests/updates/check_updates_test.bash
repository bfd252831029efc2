# cc-mcp check-updates against real sources and the real engine: a git
# repository made here (file://), a local folder, npm's registry for
# server-filesystem, and a git host on 127.0.0.1 that never answers.
# The image of a server (its CURRENT) is built by cc-mcp build.
#
# usage: bash check_updates_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../images/lib_images.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_updates.bash"
bb_init "$@"
IMG_PREFIX="t-upd-$$"  # this suite's own images, removed at the end
img_require_engine

# row NAME FIELD: FIELD of NAME's object in the --json output.
row() {
    json_value "[s for s in d['servers'] if s['name'] == '$1'][0]['$2']"
}

case_git_branch_head_against_the_built_image() {
    local name="$IMG_PREFIX-git"
    git_repo "$tmp/repo"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "file://$tmp/repo", "branch": "main", "path": "server",
             "updatePolicy": "manual"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    local one two
    one=$(git -C "$tmp/repo" rev-parse HEAD)
    run_img check-updates
    expect_exit 0
    grep -q "^$name  git file://$tmp/repo (branch main)  ${one:0:12}  ${one:0:12}  manual  just now  *✓ up to date$" \
        "$BB_ROOT/out/stdout" || fail "table: $(stdout_text)"

    echo "two" >"$tmp/repo/server/NOTES"
    git -C "$tmp/repo" add -A
    commit "$tmp/repo" two
    two=$(git -C "$tmp/repo" rev-parse HEAD)
    run_img check-updates "$name" --json
    expect_exit 0
    expect_json
    [ "$(row "$name" current) $(row "$name" latest) $(row "$name" verdict)" = \
        "${one:0:12} ${two:0:12} update available" ] || fail "row: $(stdout_text)"
    [ "$(row "$name" latestCommit)" = "$two" ] || fail "latestCommit: $(row "$name" latestCommit)"
    [ "$(json_value 'd["updatesAvailable"]')" = 1 ] || fail "$(stdout_text)"
    # kept in the state for the notice and update --due
    "$BB_PYTHON" -c 'import json, sys; c = json.load(open(sys.argv[1]))["servers"][sys.argv[2]]["updates"]["check"]; assert c["latestCommit"] == sys.argv[3] and c["available"] is True and c["answeredAt"], c' \
        "$tmp/home/state/servers.json" "$name" "$two" || fail "state: $(cat "$tmp/home/state/servers.json")"
    run_img check-updates
    expect_exit 0
    grep -q "↑ update available$" "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    expect_stdout_line "1 update available"

    # a force-push back to the first commit is a change too, back to the image's
    git -C "$tmp/repo" reset -q --hard "$one"
    run_img check-updates "$name" --json
    [ "$(row "$name" verdict)" = "up to date" ] || fail "after the reset: $(stdout_text)"
    # a branch that is gone is the row's reason, and the exit status
    git -C "$tmp/repo" branch -q -m main trunk
    run_img check-updates "$name" --json
    expect_exit 1
    [ "$(row "$name" error)" = "no such branch in \"file://$tmp/repo\"" ] || fail "$(stdout_text)"
    # the last answer is kept beside the reason
    [ "$(row "$name" latest)" = "${one:0:12}" ] || fail "the last answer was lost: $(stdout_text)"
}

case_local_folder_by_content() {
    local name="$IMG_PREFIX-local"
    cp -r "$IMG_FIXTURES/node-mcp-server" "$tmp/server"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "source": {"type": "local", "path": "./server"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    run_img check-updates --json
    expect_exit 0
    [ "$(row "$name" verdict)" = "up to date" ] || fail "$(stdout_text)"
    [[ $(row "$name" current) == sha-* ]] || fail "current: $(row "$name" current)"
    echo "changed" >"$tmp/server/NOTES"
    run_img check-updates --json
    [ "$(row "$name" verdict)" = "update available" ] || fail "after a change: $(stdout_text)"
    [ "$(row "$name" policy)" = manual ] || fail "default policy: $(row "$name" policy)"
}

case_npm_latest_range_and_pinned_version() {
    local latest
    latest=$(npm view @modelcontextprotocol/server-filesystem version 2>/dev/null)
    [ -n "$latest" ] || fatal "npm view cannot reach the registry"
    write mcp.json <<EOF
{"mcpServers": {
  "fs-latest": {"mode": "docker", "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem",
                "updatePolicy": "startup"}},
  "fs-pinned": {"mode": "docker", "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem",
                "version": "2026.7.10"}},
  "fs-npx": {"mode": "docker", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
  "fs-range": {"mode": "docker", "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem",
                "version": "~2026.7.4"}},
  "ext": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}}}
EOF
    run_img check-updates --json
    expect_exit 0
    [ "$(json_value 'len(d["servers"])')" = 4 ] || fail "the external server was checked: $(stdout_text)"
    [ "$(row fs-latest latest) $(row fs-latest verdict) $(row fs-latest policy)" = "$latest not built startup" ] ||
        fail "fs-latest: $(stdout_text)"
    [ "$(row fs-npx latest)" = "$latest" ] || fail "fs-npx: $(stdout_text)"
    [ "$(row fs-pinned latest) $(row fs-pinned pinned) $(row fs-pinned pinnedTo)" = "$latest True 2026.7.10" ] ||
        fail "fs-pinned: $(stdout_text)"
    [ "$(row fs-range latest)" = 2026.7.10 ] || fail "fs-range: $(stdout_text)"
    run_img check-updates
    expect_exit 0
    grep -q "^fs-pinned  npm @modelcontextprotocol/server-filesystem@2026.7.10  -  *$latest  *manual  *just now  *not built yet$" \
        "$BB_ROOT/out/stdout" || fail "table: $(stdout_text)"
    # a package that does not exist is that row's reason only
    write mcp.json <<EOF
{"mcpServers": {
  "gone": {"mode": "docker", "source": {"type": "npm", "package": "@cc-mcp-test/no-such-package-$$"}},
  "fs": {"mode": "docker", "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem"}}}}
EOF
    run_img check-updates --json
    expect_exit 1
    [ "$(row gone error)" = "no such npm package" ] || fail "gone: $(stdout_text)"
    [ "$(row fs latest)" = "$latest" ] || fail "fs: $(stdout_text)"
}

# A git host that takes the connection and says nothing costs its row the
# time-out, not the others their answer.
case_a_silent_source_is_its_own_row() {
    local port silent start
    silent_host
    port=$SILENT_PORT silent=$SILENT_PID
    mkdir -p "$tmp/folder" && echo one >"$tmp/folder/a"
    write mcp.json <<EOF
{"mcpServers": {
  "quiet": {"mode": "docker", "source": {"type": "git", "repository": "http://127.0.0.1:$port/quiet.git"}},
  "folder": {"mode": "docker", "source": {"type": "local", "path": "./folder"}}}}
EOF
    start=$SECONDS
    run_img CC_MCP_GIT_TIMEOUT=2 check-updates
    kill "$silent" 2>/dev/null
    expect_exit 1
    [ $((SECONDS - start)) -lt 20 ] || fail "it took $((SECONDS - start)) s"
    grep -q "^quiet .* ? .*never .*✗ cannot reach the repository: no answer within 2 s$" "$BB_ROOT/out/stdout" ||
        fail "quiet: $(stdout_text)"
    grep -q "^folder .*not built yet$" "$BB_ROOT/out/stdout" || fail "folder: $(stdout_text)"
}

case_usage_and_config_errors() {
    write mcp.json <<EOF
{"mcpServers": {
  "ext": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
  "ready": {"mode": "docker", "image": "cc-mcp/debian:bookworm"}}}
EOF
    run_img check-updates
    expect_exit 0
    expect_stdout "No server has a source to check (npm, git or local): cc-mcp list shows them."
    run_img check-updates ext
    expect_exit 2
    expect_stderr "cc-mcp: error: \"ext\": runs in external mode: cc-mcp does not build it, so it has no updates (give it a \"source\" (npm, git or local) in mcp.json)"
    run_img check-updates ready
    expect_exit 2
    expect_stderr "cc-mcp: error: \"ready\": has no source to update from (it runs a ready image or a Dockerfile) (give it a \"source\" (npm, git or local) in mcp.json)"
    run_img check-updates redy
    expect_exit 1
    grep -qF "did you mean \"ready\"?" "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    run_img check-updates --timeout 0
    expect_exit 2
    [ ! -e "$tmp/home/state/servers.json" ] || fail "a refused command wrote the state"
}

run_cases
