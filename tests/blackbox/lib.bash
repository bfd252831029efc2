# Shared by the black-box suites (tests/blackbox/*_test.bash), which run the
# built cc-mcp binary in temporary folders and check what a user sees: exit
# code, stderr and stdout line for line, and files left byte for byte.
#
# A suite:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
#   bb_init "$@"                     # $1: path of the cc-mcp binary
#   case_something() {
#       write mcp.json <<'EOF' ... EOF
#       snapshot mcp.json
#       run_ccmcp list --bogus
#       expect_exit 2
#       expect_stderr <<EOF ... EOF
#       expect_unchanged mcp.json
#   }
#   run_cases                        # every case_* function, in file order
#
# `bash SUITE BINARY [PATTERN]` runs only the cases whose name contains
# PATTERN. Each case runs in a subshell, in a fresh folder $tmp (also HOME)
# that is removed afterwards; CC_MCP_HOME is $tmp/home. The binary sees no
# environment but PATH, HOME and CC_MCP_HOME (plus the ASan/UBSan options of
# the caller, if any), and gets --no-color.

BB_BIN=
BB_FILTER=
BB_ROOT=
BB_PASSED=0
BB_FAILED=0
BB_KNOWN=0
BB_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

bb_init() {
    if [ $# -lt 1 ]; then
        echo "usage: bash $0 /path/to/cc-mcp [PATTERN]" >&2
        exit 2
    fi
    BB_BIN=$(readlink -f "$1")
    BB_FILTER=${2:-}
    if [ ! -x "$BB_BIN" ] || [ -d "$BB_BIN" ]; then
        echo "$0: $1: not an executable cc-mcp binary" >&2
        exit 2
    fi
    BB_PYTHON=$(command -v python3 || true)
    if [ -z "$BB_PYTHON" ]; then
        echo "$0: python3 is needed to check JSON output" >&2
        exit 2
    fi
    trap 'bb_cleanup' EXIT
    trap 'exit 130' INT TERM
}

bb_cleanup() {
    if [ -n "$BB_ROOT" ] && [ -d "$BB_ROOT" ]; then
        chmod -R u+rwX "$BB_ROOT" 2>/dev/null
        rm -rf "$BB_ROOT"
    fi
}

# Runs every function named case_* in the order the suite defines them.
run_cases() {
    local name
    # In the order of the suite's text (declare -F would sort them).
    for name in $(grep -o '^case_[A-Za-z0-9_]*()' "$0" | tr -d '()'); do
        if [ -n "$BB_FILTER" ] && [[ $name != *"$BB_FILTER"* ]]; then
            continue
        fi
        run_case "$name"
    done
    local known=
    [ "$BB_KNOWN" -eq 0 ] || known=" ($BB_KNOWN known bugs, still failing as expected)"
    echo "$(basename "$0" .bash): $BB_PASSED passed, $BB_FAILED failed$known"
    [ "$BB_FAILED" -eq 0 ]
}

run_case() {
    local name=$1
    BB_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/cc-mcp-bb.XXXXXX")
    mkdir "$BB_ROOT/w" "$BB_ROOT/out"
    : >"$BB_ROOT/failures"
    (
        cd "$BB_ROOT/w" || exit 1
        tmp=$(pwd -P)  # as cc-mcp sees it, symlinks resolved
        "$name"
    )
    local status=$?
    if [ $status -ne 0 ] && [ ! -s "$BB_ROOT/failures" ]; then
        echo "the case stopped with exit status $status" >>"$BB_ROOT/failures"
    fi
    if [ -s "$BB_ROOT/known_bug" ]; then
        # The case documents a bug that is not fixed yet: it must still fail.
        if [ -s "$BB_ROOT/failures" ]; then
            BB_KNOWN=$((BB_KNOWN + 1))
            echo "bug  ${name#case_}: $(cat "$BB_ROOT/known_bug") (known, not fixed yet)"
            sed 's/^/    /' "$BB_ROOT/failures"
        else
            BB_FAILED=$((BB_FAILED + 1))
            echo "FAIL ${name#case_}: passes now; remove its known_bug line"
        fi
    elif [ -s "$BB_ROOT/failures" ]; then
        BB_FAILED=$((BB_FAILED + 1))
        echo "FAIL ${name#case_}"
        sed 's/^/    /' "$BB_ROOT/failures"
    else
        BB_PASSED=$((BB_PASSED + 1))
        echo "ok   ${name#case_}"
    fi
    # A suite's own clean-up after each case, when it has one.
    if declare -F bb_case_teardown >/dev/null; then bb_case_teardown; fi
    bb_cleanup
    BB_ROOT=
}

# ---------------------------------------------------------------------------
# Running the binary

# run_ccmcp [VAR=VALUE...] ARGS...: runs cc-mcp --no-color ARGS in the
# current folder; leaves $status, $BB_ROOT/out/stdout and .../stderr.
# Set RUN_AS=(setpriv ...) to run it through a wrapper.
run_ccmcp() {
    bb_run --no-color "$@"
}

# As run_ccmcp, without the added --no-color.
run_ccmcp_colored() {
    bb_run "" "$@"
}

bb_run() {
    ccmcp_command "$@"
    "${CCMCP[@]}" >"$BB_ROOT/out/stdout" 2>"$BB_ROOT/out/stderr"
    status=$?
    BB_LAST="cc-mcp ${CCMCP_ARGS[*]}"
}

# ccmcp_command FLAG [VAR=VALUE...] ARGS...: sets CCMCP to the whole command
# line (env -i, RUN_AS, the binary, FLAG unless empty, ARGS) for cases that
# start it themselves, e.g. in the background.
ccmcp_command() {
    local flag=$1
    shift
    local env=()
    while [ $# -gt 0 ] && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
        env+=("$1")
        shift
    done
    local sanitizer=()
    local var
    for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        if [ -n "${!var:-}" ]; then
            sanitizer+=("$var=${!var}")
        fi
    done
    CCMCP_ARGS=(${flag:+"$flag"} "$@")
    CCMCP=(env -i PATH="$BB_PATH" HOME="$tmp" CC_MCP_HOME="$tmp/home" "${sanitizer[@]}" "${env[@]}"
        "${RUN_AS[@]}" "$BB_BIN" "${CCMCP_ARGS[@]}")
}

# as_nobody: from now on the case runs cc-mcp as nobody (root, which the
# tests run as, ignores file permissions); the case folder is opened to it.
as_nobody() {
    [ "$(id -u)" = 0 ] || fatal "this case must run as root (it switches to nobody with setpriv)"
    chmod 755 "$BB_ROOT" "$tmp"
    RUN_AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
}

stdout_text() { cat "$BB_ROOT/out/stdout"; }
stderr_text() { cat "$BB_ROOT/out/stderr"; }

# ---------------------------------------------------------------------------
# Files

# write FILE < text: creates FILE (and its folder) with exactly the text.
write() {
    mkdir -p "$(dirname "$1")"
    cat >"$1"
}

# snapshot FILE...: remembers their sha256 for expect_unchanged.
snapshot() {
    local file
    for file; do
        sha256sum <"$file" >"$BB_ROOT/out/sha256.$(echo "$file" | tr / _)"
    done
}

# ---------------------------------------------------------------------------
# Assertions: each records a failure and the case goes on, so that one run
# shows every difference.

fail() {
    {
        echo "$*"
        [ -n "${BB_LAST:-}" ] && echo "  (after: $BB_LAST)"
    } >>"$BB_ROOT/failures"
}

# known_bug WHAT: the case shows a bug in cc-mcp that is not fixed yet. It
# is expected to fail and does not fail the suite; once it passes, the suite
# fails until this line is removed. The assertions stay what they should be.
known_bug() {
    echo "$*" >"$BB_ROOT/known_bug"
}

# fatal MESSAGE: records and ends the case.
fatal() {
    fail "$@"
    exit 1
}

show_block() {
    # show_block TITLE FILE: the file, indented, or (empty).
    echo "  $1:"
    if [ -s "$2" ]; then sed 's/^/  | /' "$2"; else echo "  | (empty)"; fi
}

expect_exit() {
    if [ "$status" != "$1" ]; then
        {
            echo "expected exit $1, got $status (after: $BB_LAST)"
            show_block stderr "$BB_ROOT/out/stderr"
        } >>"$BB_ROOT/failures"
    fi
}

# expect_text WHAT ACTUAL_FILE: ACTUAL_FILE is byte for byte the text on stdin.
expect_text() {
    local what=$1 actual=$2 expected=$BB_ROOT/out/expected
    cat >"$expected"
    if ! cmp -s "$expected" "$actual"; then
        {
            echo "$what differs (after: $BB_LAST)"
            show_block expected "$expected"
            show_block actual "$actual"
        } >>"$BB_ROOT/failures"
    fi
}

# expect_stdout [TEXT]: stdout is exactly TEXT and a newline, or exactly
# the text on stdin (a heredoc) when no TEXT is given. expect_stderr alike.
expect_stdout() {
    if [ $# -gt 0 ]; then printf '%s\n' "$1" | expect_text stdout "$BB_ROOT/out/stdout"
    else expect_text stdout "$BB_ROOT/out/stdout"; fi
}
expect_stderr() {
    if [ $# -gt 0 ]; then printf '%s\n' "$1" | expect_text stderr "$BB_ROOT/out/stderr"
    else expect_text stderr "$BB_ROOT/out/stderr"; fi
}

expect_no_stdout() { expect_text stdout "$BB_ROOT/out/stdout" </dev/null; }
expect_no_stderr() { expect_text stderr "$BB_ROOT/out/stderr" </dev/null; }

# expect_stderr_line LINE: one whole line of stderr is exactly LINE.
expect_stderr_line() {
    if ! grep -qxF -- "$1" "$BB_ROOT/out/stderr"; then
        {
            echo "stderr lacks the line: $1 (after: $BB_LAST)"
            show_block stderr "$BB_ROOT/out/stderr"
        } >>"$BB_ROOT/failures"
    fi
}
expect_stdout_line() {
    if ! grep -qxF -- "$1" "$BB_ROOT/out/stdout"; then
        {
            echo "stdout lacks the line: $1 (after: $BB_LAST)"
            show_block stdout "$BB_ROOT/out/stdout"
        } >>"$BB_ROOT/failures"
    fi
}

# expect_no_escapes: neither stream holds an ESC byte.
expect_no_escapes() {
    local stream
    for stream in stdout stderr; do
        if grep -q $'\033' "$BB_ROOT/out/$stream"; then
            fail "$stream has colour escape codes (after: $BB_LAST)"
        fi
    done
}

# expect_json: stdout parses as one JSON document.
expect_json() {
    local problem
    if ! problem=$("$BB_PYTHON" -c 'import json, sys; json.load(sys.stdin)' \
            <"$BB_ROOT/out/stdout" 2>&1); then
        fail "stdout is not JSON: ${problem##*$'\n'} (after: $BB_LAST)"
    fi
}

# json_value EXPR: prints the Python expression EXPR over the stdout JSON `d`.
json_value() {
    "$BB_PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$BB_ROOT/out/stdout" "$1"
}

expect_unchanged() {
    local file
    for file; do
        local saved="$BB_ROOT/out/sha256.$(echo "$file" | tr / _)"
        [ -f "$saved" ] || fatal "expect_unchanged $file: no snapshot taken"
        if [ ! -e "$file" ]; then
            fail "$file was removed (after: ${BB_LAST:-})"
        elif [ "$(sha256sum <"$file")" != "$(cat "$saved")" ]; then
            fail "$file was changed (after: ${BB_LAST:-})"
        fi
    done
}

# expect_same_file ACTUAL EXPECTED: byte for byte, with a diff if not.
expect_same_file() {
    if [ ! -f "$1" ]; then
        fail "$1 does not exist (after: ${BB_LAST:-})"
    elif ! cmp -s "$1" "$2"; then
        {
            echo "$1 differs from $2 (after: ${BB_LAST:-})"
            diff "$2" "$1" | sed 's/^/  | /'
        } >>"$BB_ROOT/failures"
    fi
}

expect_missing() {
    local file
    for file; do
        [ -e "$file" ] || [ -L "$file" ] || continue
        fail "$file exists but should not (after: ${BB_LAST:-})"
    done
}

# expect_files DIR NAME...: the folder holds exactly these names (dotfiles too).
expect_files() {
    local dir=$1
    shift
    local actual expected
    actual=$(cd "$dir" && ls -A | sort)
    expected=$(printf '%s\n' "$@" | sort)
    if [ "$actual" != "$expected" ]; then
        {
            echo "$dir holds other files than expected (after: ${BB_LAST:-})"
            echo "  expected: $(echo $expected)"
            echo "  actual:   $(echo $actual)"
        } >>"$BB_ROOT/failures"
    fi
}
