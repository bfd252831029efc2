#include "sources/git.h"

#include <git2.h>

#include <memory>
#include <vector>

#include "sources/git_preflight.h"
#include "sources/libgit2.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strings.h"

namespace ccmcp::sources {

namespace {

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* handle) const { Free(handle); }
};
using Repository = std::unique_ptr<git_repository, GitFree<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, GitFree<git_remote, git_remote_free>>;
using Object = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;
using Reference = std::unique_ptr<git_reference, GitFree<git_reference, git_reference_free>>;

struct Buffer {
  git_buf buf = GIT_BUF_INIT;
  ~Buffer() { git_buf_dispose(&buf); }
};

bool disk_full(const std::string& text) {
  return text.find("No space left") != std::string::npos ||
         text.find("no space left") != std::string::npos;
}

// A libgit2 failure about the repository `url`, worded for people.
[[noreturn]] void git_failed(const config::Source& source, const std::string& doing) {
  std::string detail = last_git_error();
  if (disk_full(detail))
    throw Error(ErrorKind::io, quote(source.repository), doing + ": the disk is full",
                "free some space");
  throw Error(ErrorKind::build, quote(source.repository), doing + ": " + detail,
              "check the repository URL in mcp.json and that it can be reached from here");
}

bool same_remote(git_repository* repo, const std::string& url) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") != 0) return false;
  Remote remote(raw);
  const char* have = git_remote_url(remote.get());
  return have && url == have;
}

// Fetches every branch and tag; returns the remote's default branch name.
std::string fetch(git_repository* repo, const config::Source& source) {
  check_git_remote_answers(source.repository);
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") != 0) git_failed(source, "cannot open the clone");
  Remote remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  std::string default_branch;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0)
    git_failed(source, "cannot reach the repository");
  Buffer head;
  if (git_remote_default_branch(&head.buf, remote.get()) == 0) {
    default_branch = std::string(head.buf.ptr, head.buf.size);
    const std::string prefix = "refs/heads/";
    if (default_branch.rfind(prefix, 0) == 0) default_branch.erase(0, prefix.size());
  }
  git_remote_disconnect(remote.get());

  const char* specs[] = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"};
  git_strarray refspecs = {const_cast<char**>(specs), 2};
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.prune = GIT_FETCH_PRUNE;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  if (git_remote_fetch(remote.get(), &refspecs, &options, "cc-mcp fetch") != 0)
    git_failed(source, "cannot fetch");
  return default_branch;
}

std::vector<std::string> names_under(git_repository* repo, const std::string& glob,
                                     size_t prefix_length) {
  std::vector<std::string> names;
  git_reference_iterator* raw = nullptr;
  if (git_reference_iterator_glob_new(&raw, repo, glob.c_str()) != 0) return names;
  const char* name = nullptr;
  while (git_reference_next_name(&name, raw) == 0)
    names.push_back(std::string(name).substr(prefix_length));
  git_reference_iterator_free(raw);
  return names;
}

Object find_commit(git_repository* repo, const config::Source& source,
                   const std::string& default_branch) {
  git_object* raw = nullptr;
  std::string what;
  std::vector<std::string> known;
  if (!source.commit.empty()) {
    git_oid oid;
    if (git_oid_fromstrn(&oid, source.commit.c_str(), source.commit.size()) == 0 &&
        git_object_lookup_prefix(&raw, repo, &oid, source.commit.size(), GIT_OBJECT_COMMIT) == 0)
      return Object(raw);
    throw Error(ErrorKind::build, quote(source.commit),
                "no such commit in " + quote(source.repository),
                "give an id of a commit that the repository has");
  }
  std::string ref;
  if (!source.tag.empty()) {
    ref = "refs/tags/" + source.tag;
    what = "tag";
    known = names_under(repo, "refs/tags/*", 10);
  } else {
    std::string branch = source.branch.empty() ? default_branch : source.branch;
    if (branch.empty())
      throw Error(ErrorKind::build, quote(source.repository), "has no default branch",
                  "name a \"branch\", \"tag\" or \"commit\" in mcp.json");
    ref = "refs/remotes/origin/" + branch;
    what = "branch";
    known = names_under(repo, "refs/remotes/origin/*", 20);
  }
  if (git_revparse_single(&raw, repo, (ref + "^{commit}").c_str()) == 0) return Object(raw);
  std::string name =
      ref.substr(ref.rfind(what == "tag" ? "refs/tags/" : "origin/") + (what == "tag" ? 10 : 7));
  std::string hint = known.empty() ? "it has no " + what + "es" : "it has: " + join(known, ", ");
  if (auto near = nearest_match(name, known)) hint = "did you mean " + quote(*near) + "? " + hint;
  throw Error(ErrorKind::build, quote(name), "no such " + what + " in " + quote(source.repository),
              hint);
}

void check_out(git_repository* repo, git_object* commit, const config::Source& source) {
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
  if (git_checkout_tree(repo, commit, &options) != 0 ||
      git_repository_set_head_detached(repo, git_object_id(commit)) != 0)
    git_failed(source, "cannot check out " + describe_git_ref(source));
}

Repository open_or_clone(const config::Source& source, const std::filesystem::path& dir,
                         bool& fresh) {
  git_repository* raw = nullptr;
  std::error_code ec;
  if (std::filesystem::exists(dir / ".git", ec) && git_repository_open(&raw, dir.c_str()) == 0) {
    Repository repo(raw);
    if (same_remote(repo.get(), source.repository)) return repo;
  }
  // A clone of another repository (the URL changed) or a damaged one: anew.
  std::filesystem::remove_all(dir, ec);
  fresh = true;
  return nullptr;
}

}  // namespace

std::string describe_git_ref(const config::Source& source) {
  if (!source.tag.empty()) return "tag " + source.tag;
  if (!source.commit.empty()) return "commit " + source.commit;
  if (!source.branch.empty()) return "branch " + source.branch;
  return "the default branch";
}

GitCheckout git_checkout(const config::Source& source, const std::filesystem::path& dir,
                         const std::string& known_commit) {
  init_libgit2();
  GitCheckout result;
  bool fresh = false;
  Repository repo = open_or_clone(source, dir, fresh);
  std::filesystem::path target = dir;
  std::filesystem::path temporary = dir.parent_path() / ("." + dir.filename().string() + ".clone");
  std::error_code ec;
  if (fresh) {
    std::filesystem::remove_all(temporary, ec);
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec)
      throw Error(ErrorKind::io, dir.parent_path().string(),
                  "cannot create the folder: " + system_problem(ec.value()));
    git_repository* raw = nullptr;
    if (git_repository_init(&raw, temporary.c_str(), false) != 0)
      git_failed(source, "cannot start a clone in " + temporary.string());
    repo.reset(raw);
    git_remote* remote = nullptr;
    if (git_remote_create(&remote, repo.get(), "origin", source.repository.c_str()) != 0) {
      std::filesystem::remove_all(temporary, ec);
      git_failed(source, "is not a repository URL");
    }
    git_remote_free(remote);
    target = temporary;
  }
  try {
    Object commit;
    if (!known_commit.empty()) {
      git_oid oid;
      git_object* raw = nullptr;
      if (git_oid_fromstrn(&oid, known_commit.c_str(), known_commit.size()) == 0 &&
          git_object_lookup_prefix(&raw, repo.get(), &oid, known_commit.size(),
                                   GIT_OBJECT_COMMIT) == 0)
        commit.reset(raw);
    }
    if (!commit) {
      std::string default_branch = fetch(repo.get(), source);
      result.fetched = true;
      config::Source wanted = source;
      if (!known_commit.empty()) wanted.commit = known_commit, wanted.branch = wanted.tag = "";
      commit = find_commit(repo.get(), wanted, default_branch);
    }
    check_out(repo.get(), commit.get(), source);
    result.commit = oid_text(git_object_id(commit.get()));
  } catch (...) {
    repo.reset();
    if (fresh) std::filesystem::remove_all(temporary, ec);
    throw;
  }
  repo.reset();
  if (fresh) {
    std::filesystem::rename(temporary, dir, ec);
    if (ec) {
      std::filesystem::remove_all(temporary, ec);
      throw Error(ErrorKind::io, dir.string(),
                  "cannot keep the clone: " + system_problem(ec.value()));
    }
  }
  result.worktree = dir;
  result.folder = source.subpath.empty() ? dir : dir / source.subpath;
  if (!std::filesystem::is_directory(result.folder, ec))
    throw Error(ErrorKind::build, quote(source.subpath),
                "no such folder in " + quote(source.repository) + " at " + describe_git_ref(source),
                "check \"path\" in mcp.json");
  return result;
}

}  // namespace ccmcp::sources

// libgit2 1.5 (Debian 12's) never frees the PCRE2 match data of the regular
// expression it runs over the config in git_remote_lookup (url.*.insteadOf):
// a leak inside the library, one per lookup, which LeakSanitizer reports in
// the sanitized build. Nothing else here uses PCRE2. (Only sanitizer
// runtimes call these; elsewhere they are unused functions.)
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpcre2-8.so\n";
}
// ... and without a report of the suppression on stderr, which is the user's.
extern "C" const char* __lsan_default_options() {
  return "print_suppressions=0";
}
