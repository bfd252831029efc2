// The entries of a folder tree, relative and sorted, so that whatever walks
// it (a tar of a build context, a digest of a source folder) sees the same
// order every time.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

namespace ccmcp {

// relative path, is it a folder -> leave it (and all below it) out
using TreeSkip = std::function<bool(const std::filesystem::path& relative, bool is_dir)>;

// Every entry below `dir` (folders too), relative to it, sorted; symlinks
// are entries, never followed. Throws Error (io) when the tree cannot be read.
std::vector<std::filesystem::path> list_tree(const std::filesystem::path& dir,
                                             const TreeSkip& skip = {});

}  // namespace ccmcp
