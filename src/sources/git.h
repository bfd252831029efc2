// Git sources, through libgit2 (no git program, no hooks, no filters run):
// a clone kept in $CC_MCP_HOME/sources/NAME, fetched and checked out at the
// configured branch, tag or commit.
#pragma once

#include <filesystem>
#include <string>

#include "config/model.h"

namespace ccmcp::sources {

struct GitCheckout {
  std::string commit;              // 40 hex digits
  std::filesystem::path worktree;  // the clone's folder
  std::filesystem::path folder;    // worktree / source.path: what gets built
  bool fetched = false;            // the remote was asked
};

// Checks out `source` in `dir`, cloning it there on first use (into a
// temporary folder renamed when complete, so that a failed clone leaves
// nothing). With `known_commit` (an id from an earlier build) that commit is
// checked out, and the remote is asked only when the clone lacks it.
// Throws Error (build): remote unreachable, no such ref or folder; io: disk.
GitCheckout git_checkout(const config::Source& source, const std::filesystem::path& dir,
                         const std::string& known_commit = {});

// "branch main", "tag v1.2", "commit 1a2b3c4", "the default branch".
std::string describe_git_ref(const config::Source& source);

}  // namespace ccmcp::sources
