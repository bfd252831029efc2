# Helpers of the update suites (check-updates, update, policies): git
# repositories made by the test. Sourced after tests/images/lib_images.bash
# (IMG_FIXTURES).

commit() { git -C "$1" -c user.name=t -c user.email=t@t commit -qam "$2"; }

# git_repo DIR: a repository whose server/ folder is the Node fixture, on
# main, one commit ("v1").
git_repo() {
    mkdir -p "$1"
    cp -r "$IMG_FIXTURES/node-mcp-server" "$1/server"
    git -C "$1" init -q -b main
    git -C "$1" add -A
    commit "$1" v1
}
