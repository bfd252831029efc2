# A user's plain build, as the README's reader would make it: configure a
# scratch folder with one CMAKE_BUILD_TYPE and nothing else but
# warnings-as-errors (stricter than the user's default, so that a warning
# that only an optimisation level shows is caught here and not by a user),
# build the tool and the unit tests, run them.
#
# usage: bash build_types_test.bash SOURCE_DIR [BUILD_TYPE...]   (default: Release)
#   e.g. bash tests/build/build_types_test.bash . Debug Release RelWithDebInfo MinSizeRel
set -u
source_dir=$(cd "${1:?usage: build_types_test.bash SOURCE_DIR [BUILD_TYPE...]}" && pwd)
shift
types=("$@")
[ ${#types[@]} -gt 0 ] || types=(Release)

passed=0 failed=0
scratch=$(mktemp -d /var/tmp/cc-mcp-build-types.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
jobs=$(nproc)

for type in "${types[@]}"; do
    dir=$scratch/$type
    log=$scratch/$type.log
    ok=1
    if ! cmake -S "$source_dir" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="$type" \
        -DCCMCP_WERROR=ON >"$log" 2>&1; then
        ok=0
        echo "FAIL: $type: cmake configure failed:"
    elif ! cmake --build "$dir" -j"$jobs" --target cc-mcp unit_tests >>"$log" 2>&1; then
        ok=0
        echo "FAIL: $type: the build failed:"
    elif ! "$dir/cc-mcp" --version >>"$log" 2>&1; then
        ok=0
        echo "FAIL: $type: cc-mcp --version failed:"
    elif ! (cd "$dir" && ./unit_tests --gtest_brief=1) >>"$log" 2>&1; then
        ok=0
        echo "FAIL: $type: the unit tests failed:"
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
        echo "ok: $type builds with warnings as errors and passes $(grep -o '[0-9]* tests\? from [0-9]* test suites\? ran' "$log" | tail -1)"
    else
        failed=$((failed + 1))
        grep -E 'error|FAILED|Error' "$log" | head -n 30
        tail -n 20 "$log"
    fi
done
echo "build_types: $passed passed, $failed failed"
[ $failed = 0 ]
