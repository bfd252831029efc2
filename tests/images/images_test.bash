# Images against the real Docker engine: cc-mcp builds each kind of source,
# and each image answers MCP initialize and tools/list through its bridge,
# run as the runtime runs it (no network, read-only, no capabilities, uid
# 1001). Bad inputs each give a clear message and leave no half-made tag.
#
# usage: bash images_test.bash /path/to/cc-mcp [PATTERN]
source "$(dirname "${BASH_SOURCE[0]}")/../blackbox/lib.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib_images.bash"
bb_init "$@"
img_require_engine

FS_VERSION=2026.8.31  # the version of tests/bridge/fixtures-package.json

# git_fixture DIR: a repository whose server/ folder is the Node fixture,
# tagged v1 (version 1.0.0) and v2 (version 2.0.0).
git_fixture() {
    local repo=$1
    mkdir -p "$repo"
    cp -r "$IMG_FIXTURES/node-mcp-server" "$repo/server"
    git -C "$repo" init -q -b main
    git -C "$repo" add -A
    git -C "$repo" -c user.name=t -c user.email=t@t commit -qm one
    git -C "$repo" tag v1
    sed -i 's/"version": "1.0.0"/"version": "2.0.0"/' "$repo/server/package.json"
    git -C "$repo" -c user.name=t -c user.email=t@t commit -qam two
    git -C "$repo" tag v2
}

short_id_of() { image_id "$1" | cut -c1-19; }

case_npm_filesystem_builds_runs_and_is_then_a_no_op() {
    local name="$IMG_PREFIX-fs"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "args": ["/tmp"],
  "source": {"type": "npm", "package": "@modelcontextprotocol/server-filesystem", "version": "$FS_VERSION"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    [[ $(stdout_text) =~ ^built\ cc-mcp/$name:$FS_VERSION\ \(sha256:[0-9a-f]{12}\)\ in\ [0-9.]+\ s$ ]] ||
        fail "build printed: $(stdout_text)"
    expect_stderr_line "building $name: step 1/22: FROM cc-mcp/node:18"
    expect_contract "cc-mcp/$name:$FS_VERSION"
    [ "$(image_id "cc-mcp/$name:latest")" = "$(image_id "cc-mcp/$name:$FS_VERSION")" ] ||
        fail ":latest is not the new version"
    [ "$(label_of "cc-mcp/$name:latest" dev.cc-mcp.source)" = \
        "npm @modelcontextprotocol/server-filesystem@$FS_VERSION" ] || fail "dev.cc-mcp.source label"
    mcp_session "cc-mcp/$name:$FS_VERSION" /tmp && expect_tool read_text_file
    expect_server_info secure-filesystem-server

    # Unchanged inputs: nothing to do. That it takes well under half a second
    # is measured side by side in bench/image-build; here only that nothing
    # was fetched or built (which takes seconds, hence the loose bound that
    # a loaded machine cannot trip).
    local start end before
    before=$(image_id "cc-mcp/$name:latest")
    start=$(date +%s%N)
    run_img build "$name"
    end=$(date +%s%N)
    expect_exit 0
    expect_stdout "cc-mcp/$name:$FS_VERSION is up to date ($(short_id_of "cc-mcp/$name:latest"))"
    [ "$(image_id "cc-mcp/$name:latest")" = "$before" ] || fail "the no-op build made a new image"
    [ $(((end - start) / 1000000)) -lt 3000 ] ||
        fail "the no-op build took $(((end - start) / 1000000)) ms: did it fetch or build?"

    run_img images "$name"
    expect_exit 0
    [[ $(stdout_text | sed -n 2p) == "$FS_VERSION  -       "*"*" ]] || fail "images: $(stdout_text)"
    run_img --json images "$name"
    expect_json
    [ "$(json_value '[(i["version"], i["current"]) for i in d["images"]]')" = "[('$FS_VERSION', True)]" ] ||
        fail "images --json: $(stdout_text)"
}

case_published_port_is_on_127_0_0_1_only() {
    local name="$IMG_PREFIX-fs"
    docker image inspect "cc-mcp/$name:latest" >/dev/null 2>&1 || fatal "needs the image of the first case"
    # As the runtime publishes it: a port on 127.0.0.1, hardened otherwise the same.
    local cid
    cid=$(docker run -d --name "$IMG_PREFIX-pub" --read-only --tmpfs /tmp --cap-drop ALL \
        --security-opt no-new-privileges --user 1001:1001 -p 127.0.0.1::3000 "cc-mcp/$name:latest" /tmp)
    local binding
    binding=$(docker port "$cid" 3000/tcp | head -1)
    [[ $binding == 127.0.0.1:* ]] || fail "published as $binding"
    mcp_exchange curl -s --max-time 10 "http://$binding/mcp" && expect_tool list_directory
    local health=""
    for _ in $(seq 1 40); do
        health=$(docker inspect -f '{{.State.Health.Status}}' "$cid")
        [ "$health" = healthy ] && break
        sleep 0.5
    done
    # The HEALTHCHECK first runs after its interval: starting is fine, unhealthy is not.
    [ "$health" != unhealthy ] || fail "the container is unhealthy"
    docker rm -f "$cid" >/dev/null
}

case_phase2_npx_entry_builds_its_package() {
    local name="$IMG_PREFIX-mem"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "command": "npx",
  "args": ["-y", "@modelcontextprotocol/server-memory"], "docker": {"image": "cc-mcp/$name:latest"}}}}
EOF
    run_img --json build "$name"
    expect_exit 0
    local version
    version=$(json_value 'd["images"][0]["version"]')
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version: $version"
    [ "$(label_of "cc-mcp/$name:latest" dev.cc-mcp.source)" = "npm @modelcontextprotocol/server-memory@latest" ] ||
        fail "source label: $(label_of "cc-mcp/$name:latest" dev.cc-mcp.source)"
    mcp_session "cc-mcp/$name:$version" && expect_tool create_entities
    # A floating version keeps what the current image has: no registry asked.
    run_img build "$name"
    expect_stdout "cc-mcp/$name:$version is up to date ($(short_id_of "cc-mcp/$name:latest"))"
}

case_git_source_two_tags() {
    local name="$IMG_PREFIX-git"
    git_fixture "$tmp/repo"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "file://$tmp/repo", "tag": "v1", "path": "server"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    [[ $(stdout_text) == "built cc-mcp/$name:v1 ($(short_id_of "cc-mcp/$name:v1")) in "* ]] ||
        fail "build: $(stdout_text)"
    [ -d "$tmp/home/sources/$name/.git" ] || fail "no clone in \$CC_MCP_HOME/sources/$name"
    [ "$(label_of "cc-mcp/$name:v1" dev.cc-mcp.commit)" = "$(git -C "$tmp/repo" rev-parse v1)" ] ||
        fail "commit label of v1"
    [ "$(label_of "cc-mcp/$name:v1" dev.cc-mcp.template)" = node-builder ] ||
        fail "the build script did not take the builder stage"
    expect_contract "cc-mcp/$name:v1"
    mcp_session "cc-mcp/$name:v1" && expect_tool echo
    expect_server_info '"version":"1.0.0"'

    sed -i 's/"v1"/"v2"/' mcp.json
    run_img build "$name"
    expect_exit 0
    mcp_session "cc-mcp/$name:latest" && expect_server_info '"version":"2.0.0"'
    [ "$(tags_of "$name" | tr '\n' ' ')" = "cc-mcp/$name:latest cc-mcp/$name:v1 cc-mcp/$name:v2 " ] ||
        fail "tags: $(tags_of "$name" | tr '\n' ' ')"
    run_img images "$name"
    [[ $(stdout_text | sed -n 2p) == v2\ *\* ]] || fail "images: $(stdout_text)"
    [[ $(stdout_text | sed -n 3p) == v1\ * ]] || fail "images: $(stdout_text)"
}

case_git_ref_that_does_not_exist() {
    local name="$IMG_PREFIX-gitref"
    git_fixture "$tmp/repo"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "file://$tmp/repo", "tag": "v3", "path": "server"}}}}
EOF
    run_img build "$name"
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"v3\": no such tag in \"file://$tmp/repo\" (did you mean \"v1\"? it has: v1, v2)"
    [ -z "$(tags_of "$name")" ] || fail "tags were made: $(tags_of "$name")"
    [ ! -e "$tmp/home/build/$name" ] || fail "the staging folder was left"
}

case_git_url_that_does_not_answer() {
    local name="$IMG_PREFIX-gitdown"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "http://127.0.0.1:9/nothing.git"}}}}
EOF
    run_img build "$name"
    expect_exit 1
    [[ $(stderr_text | tail -1) == "cc-mcp: error: \"http://127.0.0.1:9/nothing.git\": cannot reach the repository: "*"(check the repository URL in mcp.json and that it can be reached from here)" ]] ||
        fail "stderr: $(stderr_text)"
    [ ! -e "$tmp/home/sources/$name" ] && [ ! -e "$tmp/home/sources/.$name.clone" ] ||
        fail "a half-made clone was left"
    [ -z "$(tags_of "$name")" ] || fail "tags were made"
}

# A host that takes the connection and then says nothing: libgit2 alone
# would wait for ever; the build gives up after CC_MCP_GIT_TIMEOUT.
case_git_host_that_never_answers() {
    local name="$IMG_PREFIX-gitsilent" port silent start
    silent_host
    port=$SILENT_PORT silent=$SILENT_PID
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "git", "repository": "http://127.0.0.1:$port/quiet.git"}}}}
EOF
    start=$SECONDS
    run_img CC_MCP_GIT_TIMEOUT=2 build "$name"
    kill "$silent" 2>/dev/null
    expect_exit 1
    expect_stderr_line "cc-mcp: error: \"http://127.0.0.1:$port/quiet.git\": cannot reach the repository: no answer within 2 s (check the repository URL in mcp.json and that it can be reached from here)"
    [ $((SECONDS - start)) -lt 30 ] || fail "it waited $((SECONDS - start)) s"
    [ ! -e "$tmp/home/sources/$name" ] && [ ! -e "$tmp/home/sources/.$name.clone" ] ||
        fail "a half-made clone was left"
    [ -z "$(tags_of "$name")" ] || fail "tags were made"
}

case_npm_package_that_does_not_exist() {
    local name="$IMG_PREFIX-nopkg"
    local package="@cc-mcp-test-none/no-such-package-$$"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "source": {"type": "npm", "package": "$package"}}}}
EOF
    run_img build "$name"
    expect_exit 1
    expect_stderr "cc-mcp: error: $package: no such npm package (check the name in mcp.json; npm view $package shows what exists)"
    [ -z "$(tags_of "$name")" ] || fail "tags were made"
}

case_local_python_project() {
    local name="$IMG_PREFIX-py"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker",
  "source": {"type": "local", "path": "$IMG_FIXTURES/python-mcp-server"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    local tag
    tag=$(docker images --format '{{.Tag}}' --filter "reference=cc-mcp/$name" | grep '^sha-' | head -1)
    [[ $tag =~ ^sha-[0-9a-f]{12}$ ]] || fail "version tag: $tag"
    [ "$(label_of "cc-mcp/$name:latest" dev.cc-mcp.template)" = python ] || fail "template"
    expect_contract "cc-mcp/$name:$tag"
    mcp_session "cc-mcp/$name:$tag" && expect_tool echo
    expect_server_info tiny-python-mcp
    run_img build "$name"
    expect_stdout "cc-mcp/$name:$tag is up to date ($(short_id_of "cc-mcp/$name:latest"))"
}

case_local_node_project_and_retention() {
    local name="$IMG_PREFIX-node"
    cp -r "$IMG_FIXTURES/node-mcp-server" "$tmp/srv"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "source": {"type": "local", "path": "./srv"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    mcp_session "cc-mcp/$name:latest" && expect_tool echo
    expect_server_info tiny-node-mcp
    # Five versions: the current one and the three before it stay.
    local i first
    first=$(image_id "cc-mcp/$name:latest")
    for i in 2 3 4 5; do
        echo "// change $i" >>"$tmp/srv/src/server.js"
        run_img -q build "$name"
        expect_exit 0
    done
    [ "$(tags_of "$name" | wc -l)" = 5 ] || fail "tags after 5 builds: $(tags_of "$name" | tr '\n' ' ')"
    docker image inspect "$first" >/dev/null 2>&1 && fail "the oldest image was not removed"
    run_img --json images "$name"
    [ "$(json_value '(len(d["images"]), sum(i["current"] for i in d["images"]))')" = "(4, 1)" ] ||
        fail "images --json: $(stdout_text)"
}

case_custom_dockerfile_and_a_failing_one() {
    local name="$IMG_PREFIX-df"
    mkdir -p ctx
    cp "$IMG_FIXTURES/node-mcp-server/src/server.js" ctx/server.js
    echo '{"version": "3.0.0"}' >ctx/package.json  # server.js reads ../package.json
    write ctx/Dockerfile <<'EOF'
FROM cc-mcp/node:18
COPY package.json /srv/package.json
COPY server.js /srv/lib/server.js
CMD ["node", "/srv/lib/server.js"]
EOF
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "docker": {"dockerfile": "./ctx/Dockerfile"}}}}
EOF
    run_img build "$name"
    expect_exit 0
    expect_contract "cc-mcp/$name:latest"
    [ "$(label_of "cc-mcp/$name:latest" dev.cc-mcp.template)" = dockerfile ] || fail "template"
    mcp_session "cc-mcp/$name:latest" && expect_server_info '"version":"3.0.0"'
    local good tags_before
    good=$(image_id "cc-mcp/$name:latest")
    tags_before=$(tags_of "$name")

    echo 'RUN echo "about to fail" && exit 3' >>ctx/Dockerfile
    run_img build "$name"
    expect_exit 1
    [[ $(stderr_text) == *"cc-mcp: error: \"$name\": the image build failed at step 5/5 (RUN echo \"about to fail\" && exit 3): The command '/bin/sh -c echo \"about to fail\" && exit 3' returned a non-zero code: 3; its last lines:"* ]] ||
        fail "stderr: $(stderr_text)"
    grep -q '    | about to fail' "$BB_ROOT/out/stderr" || fail "the build's last lines are not shown"
    [[ $(stderr_text | tail -1) == " (its previous image and tags are unchanged; -v shows the whole build)" ]] ||
        fail "last line: $(stderr_text | tail -1)"
    [ "$(image_id "cc-mcp/$name:latest")" = "$good" ] || fail ":latest moved after a failed build"
    [ "$(tags_of "$name")" = "$tags_before" ] || fail "tags changed after a failed build"
}

case_ready_image_wrapped_and_one_that_cannot_be_pulled() {
    local name="$IMG_PREFIX-ready"
    mkdir -p plain
    cp "$IMG_FIXTURES/python-mcp-server/tiny_mcp_server/__init__.py" plain/server.py
    printf 'FROM cc-mcp/python:3.11\nCOPY server.py /opt/server.py\nCMD ["python3", "/opt/server.py"]\n' >plain/Dockerfile
    DOCKER_BUILDKIT=0 docker build -q --network none -t "cc-mcp-test/$name-plain:1.5" plain >/dev/null 2>&1 ||
        fatal "could not make the plain image"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "image": "cc-mcp-test/$name-plain:1.5"},
                "$name-far": {"mode": "docker", "image": "ghcr.io/cc-mcp-test/nothing-$$:1"}}}
EOF
    run_img build "$name"
    expect_exit 0
    [[ $(stdout_text) == "built cc-mcp/$name:1.5 "* ]] || fail "build: $(stdout_text)"
    expect_contract "cc-mcp/$name:1.5"
    mcp_session "cc-mcp/$name:1.5" && expect_tool echo
    run_img build "$name"
    expect_stdout "cc-mcp/$name:1.5 is up to date ($(short_id_of "cc-mcp/$name:latest"))"

    run_img build "$name-far"
    expect_exit 1
    [[ $(stderr_text | tail -1) == "cc-mcp: error: \"ghcr.io/cc-mcp-test/nothing-$$:1\": cannot pull the image: "*" (no registry can be reached from here; build it locally or use a source)" ]] ||
        fail "stderr: $(stderr_text)"
}

case_full_disk() {
    [ "$(id -u)" = 0 ] || fatal "this case needs root (it mounts a tiny tmpfs)"
    local name="$IMG_PREFIX-full"
    cp -r "$IMG_FIXTURES/node-mcp-server" "$tmp/srv"
    mkdir -p "$tmp/full"
    mount -t tmpfs -o size=1m tmpfs "$tmp/full" || fatal "cannot mount a tmpfs"
    write mcp.json <<EOF
{"mcpServers": {"$name": {"mode": "docker", "source": {"type": "local", "path": "./srv"}}}}
EOF
    run_ccmcp CC_MCP_HOME="$tmp/full" build "$name"
    expect_exit 1
    [[ $(stderr_text | tail -1) == "cc-mcp: error: $tmp/full/build/$name/context.tar: cannot write the build context: the disk is full (free some space)" ]] ||
        fail "stderr: $(stderr_text)"
    [ -z "$(tags_of "$name")" ] || fail "tags were made"
    [ ! -e "$tmp/full/build/$name" ] || fail "the staging folder was left on the full disk"
    umount "$tmp/full"
}

case_external_server_has_no_image() {
    write mcp.json <<'EOF'
{"mcpServers": {"ext": {"command": "node", "args": ["x.js"]}}}
EOF
    run_img build ext
    expect_exit 1
    expect_stderr 'cc-mcp: error: "ext": runs on the host (mode external): no image (cc-mcp enable ext --mode docker runs it in a container)'
}

run_cases
