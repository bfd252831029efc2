# The marketplace's catalogs through the binary: search and info over the
# embedded catalog, folder catalogs added by the user (a bad package file is
# named with its line and key and hides nothing else), catalog add, remove
# and list. No engine and no network.
#
# usage: bash catalog_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
bb_init "$@"

# A folder catalog of two package files: one good (with a rating), one bad.
team_catalog() {
    mkdir -p "$tmp/team"
    write "$tmp/team/pg.json" <<'EOF'
{
  "name": "postgres-mcp",
  "title": "PostgreSQL",
  "version": "1.4.0",
  "description": "PostgreSQL integration",
  "author": "Team",
  "keywords": ["database", "sql"],
  "source": {"type": "npm", "url": "@team/postgres-mcp"},
  "environmentVariables": [{"name": "PGPASSWORD", "isRequired": true, "isSecret": true}],
  "versions": ["1.4.0", "1.3.2"],
  "minVersion": "0.1.0",
  "rating": 4.8,
  "ratingCount": 12
}
EOF
    write "$tmp/team/broken.json" <<'EOF'
{
  "name": "broken",
  "description": "a package whose source is wrong",
  "source": {"type": "npm",
             "url": 7}
}
EOF
}

case_search_ranks_the_exact_name_first() {
    run_ccmcp search memory
    expect_exit 0
    [ "$(head -1 "$BB_ROOT/out/stdout")" = "memory - Persistent memory for Claude through a local knowledge graph of entities and relations  [default]" ] ||
        fail "first line: $(stdout_text)"
    run_ccmcp search web
    expect_exit 0
    for name in brave-search exa fetch firecrawl tavily; do
        grep -q "^$name - " "$BB_ROOT/out/stdout" || fail "$name not found: $(stdout_text)"
    done
    grep -q "^filesystem - " "$BB_ROOT/out/stdout" && fail "filesystem matched web"
    # every word must match
    run_ccmcp search web search
    expect_exit 0
    grep -q "^brave-search - " "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    grep -q "^firecrawl - " "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    grep -q "^memory - " "$BB_ROOT/out/stdout" && fail "$(stdout_text)"
    run_ccmcp search zzzznothing
    expect_exit 0
    [[ $(stdout_text) == "No package matches \"zzzznothing\" ("*" packages in 1 catalogs)." ]] || fail "$(stdout_text)"
    run_ccmcp search --json filesystem
    expect_exit 0
    [ "$(json_value 'd["results"][0]["name"] + " " + d["results"][0]["catalog"] + " " + str(d["results"][0]["rating"])')" = \
        "filesystem default None" ] || fail "json: $(stdout_text)"
    [ "$(json_value 'd["packages"] >= 20')" = True ] || fail "fewer than 20 packages: $(stdout_text)"
    # no rating is ever made up
    run_ccmcp search mcp
    grep -q "★" "$BB_ROOT/out/stdout" && fail "a rating in the embedded catalog: $(stdout_text)"
    return 0
}

case_info_shows_what_it_needs_and_its_entry() {
    run_ccmcp info github
    expect_exit 0
    expect_stdout_line "github (GitHub) - Repositories, issues, pull requests and code search through the GitHub API"
    expect_stdout_line "  environment   GITHUB_PERSONAL_ACCESS_TOKEN (required, secret): a GitHub personal access token"
    expect_stdout_line "  source        npm @modelcontextprotocol/server-github"
    # where it may connect once installed: its API, nothing else
    expect_stdout_line "  network       allow api.github.com:443"
    grep -q '"network":{"allow":\["api.github.com:443"\]}' "$BB_ROOT/out/stdout" ||
        fail "the entry has no network: $(stdout_text)"
    run_ccmcp info filesystem --json
    expect_exit 0
    [ "$(json_value 'd["mcpServersEntry"]["source"]["package"] + " " + d["mcpServersEntry"]["source"]["updatePolicy"] + " " + d["mcpServersEntry"]["volumes"]["./project"]')" = \
        "@modelcontextprotocol/server-filesystem manual /workspace" ] || fail "$(stdout_text)"
    [ "$(json_value '"network" in d["mcpServersEntry"]')" = False ] || fail "filesystem asks for a network: $(stdout_text)"
    run_ccmcp info filesystm
    expect_exit 1
    expect_stderr "cc-mcp: error: \"filesystm\": is in no catalog (did you mean \"filesystem\"?)"
    run_ccmcp info
    expect_exit 2
}

case_folder_catalog_with_a_bad_file() {
    team_catalog
    run_ccmcp catalog add team "$tmp/team"
    expect_exit 0
    expect_stdout "✓ Added catalog team (1 packages)"
    expect_stderr_line "cc-mcp: warning: $tmp/team/broken.json:5:21: source.url: must be a string"
    run_ccmcp search database
    expect_exit 0
    expect_stdout_line "postgres-mcp - PostgreSQL integration (★ 4.8, 12 ratings)  [team]"
    grep -q "^notion - " "$BB_ROOT/out/stdout" || fail "the embedded catalog was hidden: $(stdout_text)"
    expect_stderr_line "cc-mcp: warning: $tmp/team/broken.json:5:21: source.url: must be a string"
    run_ccmcp search database --catalog team
    [ "$(wc -l <"$BB_ROOT/out/stdout")" = 1 ] || fail "--catalog team: $(stdout_text)"
    run_ccmcp info postgres-mcp@1.3.2
    expect_exit 0
    grep -q '"version":"1.3.2"' "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    expect_stdout_line "  versions      1.4.0, 1.3.2"
    expect_stdout_line "  needs cc-mcp  0.1.0 or newer"
    run_ccmcp info postgres-mcp@9.9
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"postgres-mcp@9.9\": is not a version it has (versions: 1.4.0, 1.3.2)"
    run_ccmcp catalog list
    expect_exit 0
    grep -q "^team  *folder  *$tmp/team  *1  *-$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"
    grep -q "^default  *embedded  *(compiled in)  *[0-9]*  *-$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"
}

case_a_user_catalog_comes_before_the_embedded_one() {
    mkdir -p "$tmp/mine"
    write "$tmp/mine/memory.json" <<'EOF'
{"name": "memory", "description": "our own memory server", "source": {"type": "git", "url": "https://example.invalid/memory.git"}}
EOF
    run_ccmcp catalog add mine "$tmp/mine"
    expect_exit 0
    run_ccmcp info memory
    expect_stdout_line "memory - our own memory server"
    run_ccmcp info memory --catalog default
    expect_stdout_line "memory (Knowledge graph memory) - Persistent memory for Claude through a local knowledge graph of entities and relations"
    # a server of that name tested here says so
    mkdir -p "$tmp/home/state"
    echo '{"servers": {"memory": {"tests": {"last": {"at": "2026-12-07T10:00:00Z", "result": "pass"}}}}}' \
        >"$tmp/home/state/servers.json"
    run_ccmcp search memory --catalog default
    expect_stdout_line "memory - Persistent memory for Claude through a local knowledge graph of entities and relations  [default, tested here: pass (2026-12-07T10:00:00Z)]"
}

case_catalog_add_and_remove_refusals() {
    team_catalog
    run_ccmcp catalog add default "$tmp/team"
    expect_exit 2
    expect_stderr "cc-mcp: error: catalog \"default\": is the name of the embedded catalog (letters, digits, '.', '_' and '-', e.g. team)"
    run_ccmcp catalog add team "$tmp/nowhere"
    expect_exit 1
    expect_stderr "cc-mcp: error: \"$tmp/nowhere\": is not a folder (give the folder that holds the package files (*.json))"
    [ ! -e "$tmp/home/catalogs.json" ] || fail "a refused add wrote catalogs.json"
    run_ccmcp catalog add team "$tmp/team"
    expect_exit 0
    snapshot "$tmp/home/catalogs.json"
    run_ccmcp catalog add team "$tmp/team"
    expect_exit 1
    expect_stderr "cc-mcp: error: catalog \"team\": exists already (cc-mcp catalog remove team first, or pick another name)"
    expect_unchanged "$tmp/home/catalogs.json"
    run_ccmcp catalog remove default
    expect_exit 2
    run_ccmcp catalog remove nope
    expect_exit 1
    run_ccmcp search x --catalog nope
    expect_exit 1
    expect_stderr "cc-mcp: error: catalog \"nope\": is not one of yours (catalogs: team, default (cc-mcp catalog list))"
    run_ccmcp catalog remove team
    expect_exit 0
    expect_stdout "✓ Removed catalog team (its folder is untouched)"
    [ -e "$tmp/team/pg.json" ] || fail "the folder was touched"
    # a catalog whose folder is gone is a warning, not an error
    run_ccmcp catalog add gone "$tmp/team"
    rm -rf "$tmp/team"
    run_ccmcp search memory
    expect_exit 0
    grep -q "the folder of catalog \"gone\" is gone" "$BB_ROOT/out/stderr" || fail "$(stderr_text)"
    grep -q "^memory - " "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
}

case_a_git_repository_as_a_catalog() {
    mkdir -p "$tmp/gitcat"
    write "$tmp/gitcat/one.json" <<'EOF'
{"name": "one-server", "description": "the first of a team's servers", "source": {"type": "npm", "url": "@team/one"}}
EOF
    git -C "$tmp/gitcat" init -q -b main
    git -C "$tmp/gitcat" add -A
    git -C "$tmp/gitcat" -c user.name=t -c user.email=t@t commit -qm one
    run_ccmcp catalog add teamgit --git "file://$tmp/gitcat"
    expect_exit 0
    expect_stdout "✓ Added catalog teamgit (1 packages)"
    run_ccmcp search team
    expect_exit 0
    grep -q "^one-server - the first of a team's servers  \[teamgit\]$" "$BB_ROOT/out/stdout" || fail "$(stdout_text)"
    expect_stdout_line "(teamgit fetched just now; cc-mcp catalog refresh reads them anew)"
    # a new package is seen after a refresh, not before (search never fetches)
    write "$tmp/gitcat/two.json" <<'EOF'
{"name": "two-server", "description": "the second of a team's servers", "source": {"type": "npm", "url": "@team/two"}}
EOF
    git -C "$tmp/gitcat" add -A
    git -C "$tmp/gitcat" -c user.name=t -c user.email=t@t commit -qm two
    run_ccmcp search two-server
    expect_exit 0
    grep -q "^two-server" "$BB_ROOT/out/stdout" && fail "search fetched: $(stdout_text)"
    run_ccmcp catalog refresh teamgit
    expect_exit 0
    expect_stdout "✓ teamgit: 2 packages"
    run_ccmcp catalog list
    grep -q "^teamgit  *git  *file://$tmp/gitcat  *2  *fetched just now$" "$BB_ROOT/out/stdout" || fail "list: $(stdout_text)"
    run_ccmcp catalog remove teamgit
    expect_exit 0
    expect_missing "$tmp/home/cache/catalogs/teamgit.git"
    # a repository that cannot be had is not added
    run_ccmcp catalog add nothing --git "file://$tmp/no-such-repo"
    expect_exit 1
    run_ccmcp catalog list --json
    [ "$(json_value '[c["name"] for c in d["catalogs"]]')" = "['default']" ] || fail "added: $(stdout_text)"
}

run_cases
