// What a git remote offers now, asked without a clone (git ls-remote, through
// libgit2): its default branch, and the commit of each branch and tag.
// update checks use it; builds fetch into their clone (git.h).
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace ccmcp::sources {

struct GitRemoteHeads {
  std::string default_branch;                   // "main"; "" when the remote has no HEAD
  std::map<std::string, std::string> branches;  // "main" -> 40 hex digits
  std::map<std::string, std::string> tags;      // "v1.2" -> its commit (annotated tags peeled)
};

// Throws Error (build): the remote does not answer (http(s): within
// `timeout`, or git_answer_timeout() when shorter; see git_preflight.h), is
// not a repository, or refuses us.
GitRemoteHeads git_remote_heads(const std::string& repository, std::chrono::seconds timeout);

}  // namespace ccmcp::sources
