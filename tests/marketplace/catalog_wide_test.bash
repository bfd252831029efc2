# Every package of the embedded catalog installed for real: fetched from npm,
# built, and through the tester's gate (connection, capabilities, security
# scan, and the package's own tests with --test), then uninstalled with
# --purge. Required variables get a placeholder value (the servers start
# without reaching their service); volumes a folder of the test's. Slow
# (a build per package): ctest label "catalog", not in the default run
# (scripts/test --catalog runs it).
#
# usage: bash catalog_wide_test.bash /path/to/cc-mcp [PACKAGE...]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../images/lib_images.bash"
BB_FILTER_PACKAGES=("${@:2}")
bb_init "$1"
IMG_PREFIX="t-cat-$$"
img_require_engine

# install_package NAME: the install command line of a package (its
# required variables and volumes filled in), run; the case fails with the
# install's own error when it does not pass.
install_package() {
    local package=$1 name="$IMG_PREFIX-$1"
    run_ccmcp info "$package" --json
    expect_exit 0
    local args=()
    while read -r word; do
        [ -n "$word" ] && args+=("$word")
    done < <("$BB_PYTHON" - "$BB_ROOT/out/stdout" "$tmp" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
for v in d["environmentVariables"]:
    if v["isRequired"]:
        print("--env")
        print(v["name"] + "=cc-mcp-catalog-test")
for i, target in enumerate(d["config"]["volumes"].values()):
    folder = os.path.join(sys.argv[2], "volume-%d" % i)
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o777)
    print("--volume")
    print(folder + ":" + target.split(":")[0])
PY
)
    run_img install "$package" --as "$name" --test "${args[@]}"
    if [ "$status" != 0 ]; then
        fail "install $package ${args[*]}: exit $status: $(tail -5 "$BB_ROOT/out/stderr")"
        grep '^✗' "$BB_ROOT/out/stdout" | sed 's/^/  /' >>"$BB_ROOT/failures"
    fi
    run_img uninstall "$name" --purge
}

packages=$(env -i PATH="$BB_PATH" HOME=/tmp CC_MCP_HOME=/tmp/cc-mcp-catalog-list-$$ "$BB_BIN" search "" --catalog default --json 2>/dev/null |
    "$BB_PYTHON" -c 'import json, sys; print(" ".join(r["name"] for r in json.load(sys.stdin)["results"]))')
rm -rf "/tmp/cc-mcp-catalog-list-$$"
[ -n "$packages" ] || { echo "FAIL: no packages in the embedded catalog"; exit 1; }
for package in $packages; do
    if [ ${#BB_FILTER_PACKAGES[@]} -gt 0 ] && [[ ! " ${BB_FILTER_PACKAGES[*]} " =~ " $package " ]]; then
        continue
    fi
    eval "case_$package() { install_package $package; }"
    run_case "case_$package"
done
# run_cases finds cases in the suite's text; these are made per package
echo "$(basename "$0" .bash): $BB_PASSED passed, $BB_FAILED failed"
[ "$BB_FAILED" -eq 0 ]
