// Build contexts on the host: source folders copied and digested the same
// way every time, so that an unchanged folder is recognised without building.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "util/file_tree.h"

namespace ccmcp::images {

// relative path, is it a folder -> leave it out
using SkipRule = TreeSkip;

// What a local or git source leaves out: .git, node_modules (installed anew
// on the host), Python caches and virtual environments.
bool skip_source_clutter(const std::filesystem::path& relative, bool is_dir);
// What a Dockerfile context leaves out: .git only.
bool skip_git_folder(const std::filesystem::path& relative, bool is_dir);

// "sha256:<hex>" over the sorted tree: each entry's relative path, type,
// executable bit and content (a link's target). Throws Error (io).
std::string tree_digest(const std::filesystem::path& dir, const SkipRule& skip);

// Copies `from` into `to` (created), links as links. Throws Error (io),
// with "the disk is full" when it is.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to,
               const SkipRule& skip);

}  // namespace ccmcp::images
