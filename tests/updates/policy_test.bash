# The update policies against the real engine, with the clock moved by
# CC_MCP_NOW (the fake clock of updates/policy.h): startup (checked and
# applied before start), manual (checked, never applied), scheduled (applied
# by update --due, which the timer of `cc-mcp schedule` runs: cron for real
# as nobody, systemd through a stand-in systemctl), and the update notice
# with its detached background check.
#
# usage: bash policy_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../images/lib_images.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_updates.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../runtime/lib_runtime.bash"
bb_init "$@"
IMG_PREFIX="t-upp-$$"
img_require_engine

# next_version: one more commit in $tmp/repo (a changed comment: same tools).
next_version() {
    echo "// $RANDOM" >>"$tmp/repo/server/src/server.js"
    commit "$tmp/repo" "next"
    git -C "$tmp/repo" rev-parse HEAD | cut -c1-12
}

# write_config NAME POLICY [INTERVAL]
write_config() {
    write mcp.json <<EOF
{"mcpServers": {"$1": {"mode": "docker",
  "source": {"type": "git", "repository": "file://$tmp/repo", "branch": "main", "path": "server",
             "updatePolicy": "$2"${3:+, \"checkInterval\": \"$3\"}}}}}
EOF
}

# at OFFSET: an RFC 3339 time OFFSET (date -d words) from now.
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
running_version() { label_of "$(docker inspect -f '{{.Image}}' "mcp-$1")" dev.cc-mcp.version; }
checked_at() {
    "$BB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["servers"][sys.argv[2]]["updates"]["check"]["at"])' \
        "$tmp/home/state/servers.json" "$1" 2>/dev/null
}

case_startup_policy_updates_before_start_when_due() {
    local name="$IMG_PREFIX-st" one two later
    git_repo "$tmp/repo"
    write_config "$name" startup 6h
    run_img start "$name"
    expect_exit 0
    one=$(git -C "$tmp/repo" rev-parse HEAD | cut -c1-12)
    # never checked, but the image is new: the first start builds the latest
    # and the check comes with the next start that is due
    run_img check-updates "$name"
    expect_exit 0
    run_img stop "$name"
    two=$(next_version)
    # not due (checked just now): started as it is
    run_img start "$name"
    expect_exit 0
    grep -q "Checking" "$BB_ROOT/out/stdout" && fail "checked before it was due: $(stdout_text)"
    [ "$(running_version "$name")" = "$one" ] || fail "not due, yet $(running_version "$name") runs"
    run_img stop "$name"
    # 7 hours later it is due: checked, updated, then started
    later=$(at "+7 hours")
    run_img CC_MCP_NOW="$later" start "$name"
    expect_exit 0
    expect_stdout_line "⏳ Checking 1 server for updates (updatePolicy startup)..."
    grep -q "^✓ Updated $name: $one → $two (stopped: the next start runs it)$" "$BB_ROOT/out/stdout" ||
        fail "$(stdout_text)"
    grep -q "^started $name at" "$BB_ROOT/out/stdout" || fail "not started: $(stdout_text)"
    [ "$(running_version "$name")" = "$two" ] || fail "$(running_version "$name") runs, not $two"
    [ "$(checked_at "$name")" = "$later" ] || fail "the check's time is $(checked_at "$name"), not the clock's"
    # a source that cannot be asked is a warning; the current version starts
    run_img stop "$name"
    mv "$tmp/repo" "$tmp/gone"
    run_img CC_MCP_NOW="$(at "+14 hours")" start "$name"
    expect_exit 0
    grep -q "^cc-mcp: warning: $name: cannot check for updates (.*); starting the current version$" \
        "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    [ "$(running_version "$name")" = "$two" ] || fail "after the warning: $(running_version "$name")"
}

case_manual_and_scheduled_policies_under_update_due() {
    local name="$IMG_PREFIX-sc" manual="$IMG_PREFIX-ma" one two three t0
    git_repo "$tmp/repo"
    write mcp.json <<EOF
{"mcpServers": {
  "$name": {"mode": "docker", "source": {"type": "git", "repository": "file://$tmp/repo", "branch": "main",
            "path": "server", "updatePolicy": "scheduled", "checkInterval": "6h"}},
  "$manual": {"mode": "docker", "source": {"type": "git", "repository": "file://$tmp/repo", "branch": "main",
              "path": "server", "updatePolicy": "manual", "checkInterval": "6h"}}}}
EOF
    run_img start "$name" "$manual"
    expect_exit 0
    one=$(git -C "$tmp/repo" rev-parse HEAD | cut -c1-12)
    two=$(next_version)
    t0=$(at "+1 minute")
    run_img CC_MCP_NOW="$t0" update --due
    expect_exit 0
    expect_stdout_line "$manual: $two is available (updatePolicy manual: cc-mcp update $manual applies it)"
    grep -q "^✓ Updated $name: $one → $two (running at http://127.0.0.1:$(rt_port "$name")/mcp, same port)$" \
        "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    [ "$(running_version "$name")" = "$two" ] || fail "scheduled: $(running_version "$name")"
    [ "$(running_version "$manual")" = "$one" ] || fail "manual was applied: $(running_version "$manual")"

    three=$(next_version)
    run_img CC_MCP_NOW="$(at "+2 hours")" update --due
    expect_exit 0
    expect_stdout "No server is due for a check."
    [ "$(running_version "$name")" = "$two" ] || fail "applied before it was due"
    run_img CC_MCP_NOW="$(at "+7 hours")" update --due
    expect_exit 0
    grep -q "^✓ Updated $name: $two → $three" "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    [ "$(running_version "$manual")" = "$one" ] || fail "manual was applied: $(running_version "$manual")"
    run_img update --due "$name"
    expect_exit 2
}

case_notice_from_the_state_and_the_background_check() {
    local name="$IMG_PREFIX-no" start took bg
    git_repo "$tmp/repo"
    write_config "$name" manual
    run_img build "$name"
    expect_exit 0
    next_version >/dev/null
    run_img check-updates
    expect_exit 0
    run_img CC_MCP_NOTICE=1 list
    expect_exit 0
    expect_stderr "📦 Updates available for 1 MCP ($name)
Run 'cc-mcp update-all' to update"
    for quiet in "--json list" "-q list" "list"; do
        run_img $quiet
        grep -q "Updates available" "$BB_ROOT/out/stderr" && fail "a notice with: $quiet"
    done
    run_img CC_MCP_NOTICE=0 list
    grep -q "Updates available" "$BB_ROOT/out/stderr" && fail "a notice with CC_MCP_NOTICE=0"
    run_img CC_MCP_NOTICE=1 update "$name"
    expect_exit 0
    run_img CC_MCP_NOTICE=1 list
    grep -q "Updates available" "$BB_ROOT/out/stderr" && fail "the notice stayed after the update: $(stderr_text)"

    # The first command with a notice started a background check; the next
    # ones within 15 minutes do not; one 16 minutes later does. A source that
    # never answers costs the command nothing.
    bg=$("$BB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["updates"]["backgroundCheckAt"])' \
        "$tmp/home/state/servers.json") || fail "no background check was started"
    silent_host
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "file://$tmp/repo", "branch": "main", "path": "server"}},
  "quiet": {"mode": "docker", "source": {"type": "git", "repository": "http://127.0.0.1:$SILENT_PORT/q.git"}}}}
EOF
    start=$EPOCHREALTIME
    run_img CC_MCP_NOTICE=1 CC_MCP_NOW="$(at "+16 minutes")" CC_MCP_GIT_TIMEOUT=3 list
    took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
    expect_exit 0
    [ "$took" -lt 2000 ] || fail "list waited for the background check: $took ms"
    wait_for '[ -n "$(checked_at quiet)" ]' 30 || fail "the background check did not record the silent source"
    [ "$("$BB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["updates"]["backgroundCheckAt"])' \
        "$tmp/home/state/servers.json")" != "$bg" ] || fail "no second background check"
    kill "$SILENT_PID" 2>/dev/null
}

case_schedule_with_cron_as_nobody() {
    command -v crontab >/dev/null || fatal "crontab is missing (scripts/setup installs cron)"
    local name="$IMG_PREFIX-cr" line
    git_repo "$tmp/repo"
    write_config "$name" scheduled
    run_img build "$name"  # as root: it needs the engine
    expect_exit 0
    chmod -R a+rwX "$tmp/home"
    chmod -R a+rX "$tmp"
    as_nobody
    crontab -u nobody -r 2>/dev/null
    printf '# theirs\n0 3 * * * echo keep-me\n' | crontab -u nobody -
    run_ccmcp schedule status
    expect_exit 0
    expect_stdout "No timer for update --due (crontab): cc-mcp schedule install adds one."
    run_ccmcp schedule install
    expect_exit 0
    expect_stdout_line "✓ Installed the update timer (crontab)"
    line=$(crontab -u nobody -l | grep "# cc-mcp schedule ")
    [[ $line == "*/15 * * * * CC_MCP_HOME='$tmp/home' '$BB_BIN' '--config' '$tmp/mcp.json' 'update' '--due' '-q' >>'$tmp/home/updates/schedule.log' 2>&1 # cc-mcp schedule "* ]] ||
        fail "line: $line"
    crontab -u nobody -l | grep -qx "0 3 \* \* \* echo keep-me" || fail "their line was lost: $(crontab -u nobody -l)"
    run_ccmcp schedule install  # again: still one line
    [ "$(crontab -u nobody -l | grep -c "# cc-mcp schedule ")" = 1 ] || fail "two lines: $(crontab -u nobody -l)"
    run_ccmcp schedule status --json
    expect_exit 0
    [ "$(json_value 'd["installed"]')" = True ] || fail "status: $(stdout_text)"
    # what cron would run, run here (as root: it needs the engine)
    RUN_AS=()
    sh -c "${line#\*/15 \* \* \* \* }" || fail "the crontab line failed: $(cat "$tmp/home/updates/schedule.log")"
    [ -n "$(checked_at "$name")" ] || fail "the scheduled command checked nothing: $(cat "$tmp/home/updates/schedule.log")"
    as_nobody
    run_ccmcp schedule remove
    expect_exit 0
    expect_stdout "✓ Removed the update timer (crontab)"
    [ "$(crontab -u nobody -l)" = "# theirs
0 3 * * * echo keep-me" ] || fail "after remove: $(crontab -u nobody -l)"
    run_ccmcp schedule remove
    expect_stdout "There was no update timer to remove."
    crontab -u nobody -r
}

case_schedule_with_a_systemd_user_manager() {
    local name="$IMG_PREFIX-sd" unit
    git_repo "$tmp/repo"
    write_config "$name" scheduled
    mkdir -p "$tmp/bin"
    # a stand-in for systemctl --user: answers, and says what it was asked
    cat >"$tmp/bin/systemctl" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/systemctl.calls"
case "\$*" in *is-active*) echo active ;; esac
exit 0
EOF
    chmod +x "$tmp/bin/systemctl"
    run_ccmcp PATH="$tmp/bin:$BB_PATH" schedule install
    expect_exit 0
    expect_stdout_line "✓ Installed the update timer (systemd user timer)"
    unit=$(cd "$tmp/.config/systemd/user" && ls *.timer) || fail "no timer file"
    unit=${unit%.timer}
    grep -qx "OnCalendar=\*:0/15" "$tmp/.config/systemd/user/$unit.timer" || fail "timer: $(cat "$tmp/.config/systemd/user/$unit.timer")"
    grep -qx "ExecStart='$BB_BIN' '--config' '$tmp/mcp.json' 'update' '--due' '-q'" "$tmp/.config/systemd/user/$unit.service" ||
        fail "service: $(cat "$tmp/.config/systemd/user/$unit.service")"
    grep -qx "Environment='CC_MCP_HOME=$tmp/home'" "$tmp/.config/systemd/user/$unit.service" || fail "no home"
    [ "$(cat "$tmp/systemctl.calls")" = "--user show-environment
--user daemon-reload
--user enable --now $unit.timer
--user is-active $unit.timer" ] || fail "calls: $(cat "$tmp/systemctl.calls")"
    expect_stdout_line "  timer active"
    run_ccmcp PATH="$tmp/bin:$BB_PATH" schedule remove
    expect_exit 0
    [ ! -e "$tmp/.config/systemd/user/$unit.timer" ] || fail "the timer file stayed"
    grep -qx -- "--user disable --now $unit.timer" "$tmp/systemctl.calls" || fail "not disabled: $(cat "$tmp/systemctl.calls")"
    # neither systemd nor cron: a clear error
    run_ccmcp CC_MCP_SCHEDULER=launchd schedule status
    expect_exit 2
    expect_stderr "cc-mcp: error: CC_MCP_SCHEDULER: \"launchd\" is not a scheduler (systemd or cron, or unset it)"
}

run_cases
