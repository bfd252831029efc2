# The npm fixtures (scripts/npm-fixtures) for the suites that run the
# reference servers: sets FIXTURES and EVERYTHING_JS, or ends the suite
# with a failure that says what is missing.
#   source "$(dirname "${BASH_SOURCE[0]}")/../fixtures.bash"; need_fixtures SUITE
need_fixtures() {
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    FIXTURES=${CC_MCP_FIXTURES:-$here/../.cache/npm-fixtures}
    EVERYTHING_JS=$FIXTURES/node_modules/@modelcontextprotocol/server-everything/dist/index.js
    if [ ! -f "$EVERYTHING_JS" ]; then
        echo "$1: the npm fixtures are missing in $FIXTURES (run scripts/npm-fixtures)" >&2
        echo "$1: 0 passed, 1 failed"
        exit 1
    fi
}
