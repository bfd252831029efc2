#include "util/file_tree.h"

#include <algorithm>

#include "util/error.h"
#include "util/fs.h"

namespace ccmcp {

std::vector<std::filesystem::path> list_tree(const std::filesystem::path& dir,
                                             const TreeSkip& skip) {
  std::vector<std::filesystem::path> entries;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, ec), end;
  if (ec) throw Error(ErrorKind::io, dir.string(), system_problem(ec.value()));
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorKind::io, dir.string(), system_problem(ec.value()));
    std::filesystem::path relative = it->path().lexically_relative(dir);
    bool is_dir = it->is_directory(ec) && !it->is_symlink(ec);
    if (skip && skip(relative, is_dir)) {
      if (is_dir) it.disable_recursion_pending();
      continue;
    }
    entries.push_back(std::move(relative));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace ccmcp
