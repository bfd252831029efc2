#include "sources/git_remote.h"

#include <git2.h>

#include <memory>

#include "sources/git_preflight.h"
#include "sources/libgit2.h"
#include "util/error.h"

namespace ccmcp::sources {

namespace {

struct RemoteFree {
  void operator()(git_remote* remote) const {
    git_remote_disconnect(remote);
    git_remote_free(remote);
  }
};

[[noreturn]] void failed(const std::string& repository, const std::string& doing) {
  throw Error(ErrorKind::build, quote(repository), doing + ": " + last_git_error(),
              "check the repository URL in mcp.json and that it can be reached from here");
}

}  // namespace

GitRemoteHeads git_remote_heads(const std::string& repository, std::chrono::seconds timeout) {
  init_libgit2();
  check_git_remote_answers(repository, timeout);

  git_remote* raw = nullptr;
  if (git_remote_create_detached(&raw, repository.c_str()) != 0)
    failed(repository, "is not a repository URL");
  std::unique_ptr<git_remote, RemoteFree> remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0)
    failed(repository, "cannot reach the repository");
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (git_remote_ls(&heads, &count, remote.get()) != 0)
    failed(repository, "cannot list its branches and tags");

  GitRemoteHeads result;
  const std::string branch_prefix = "refs/heads/", tag_prefix = "refs/tags/", peeled = "^{}";
  for (size_t i = 0; i < count; ++i) {
    std::string name = heads[i]->name ? heads[i]->name : "";
    std::string commit = oid_text(&heads[i]->oid);
    if (name == "HEAD" && heads[i]->symref_target) {
      std::string target = heads[i]->symref_target;
      if (target.rfind(branch_prefix, 0) == 0) result.default_branch = target.substr(11);
    } else if (name.rfind(branch_prefix, 0) == 0) {
      result.branches[name.substr(branch_prefix.size())] = commit;
    } else if (name.rfind(tag_prefix, 0) == 0) {
      std::string tag = name.substr(tag_prefix.size());
      // An annotated tag comes twice: the tag object, then "^{}" with the
      // commit it points at, which is what counts.
      if (tag.size() > peeled.size() &&
          tag.compare(tag.size() - peeled.size(), peeled.size(), peeled) == 0)
        result.tags[tag.substr(0, tag.size() - peeled.size())] = commit;
      else
        result.tags.emplace(tag, commit);
    }
  }
  // Without a symbolic HEAD (old servers): the branch whose commit HEAD names.
  if (result.default_branch.empty())
    for (size_t i = 0; i < count; ++i)
      if (heads[i]->name && std::string(heads[i]->name) == "HEAD")
        for (const auto& [branch, commit] : result.branches)
          if (commit == oid_text(&heads[i]->oid)) {
            result.default_branch = branch;
            break;
          }
  return result;
}

}  // namespace ccmcp::sources
