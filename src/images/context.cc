#include "images/context.h"

#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "util/error.h"
#include "util/file_tree.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace ccmcp::images {

namespace {

[[noreturn]] void io_failed(const std::filesystem::path& path, const std::string& doing, int code) {
  throw Error(ErrorKind::io, path.string(), doing + ": " + system_problem(code),
              code == ENOSPC ? "free some space" : std::string{});
}

}  // namespace

bool skip_source_clutter(const std::filesystem::path& relative, bool is_dir) {
  std::string name = relative.filename().string();
  if (is_dir)
    return name == ".git" || name == "node_modules" || name == "__pycache__" || name == ".venv";
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".pyc") == 0;
}

bool skip_git_folder(const std::filesystem::path& relative, bool is_dir) {
  return is_dir && relative.filename() == ".git";
}

std::string tree_digest(const std::filesystem::path& dir, const SkipRule& skip) {
  Sha256 digest;
  for (const auto& relative : list_tree(dir, skip)) {
    std::filesystem::path path = dir / relative;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) io_failed(path, "cannot read", errno);
    std::string head = relative.string();
    head.push_back('\0');
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      head += "l" + std::filesystem::read_symlink(path, ec).string();
    } else if (S_ISDIR(st.st_mode)) {
      head += "d";
    } else if (S_ISREG(st.st_mode)) {
      head += (st.st_mode & 0111) ? "x" : "f";
      head += std::to_string(st.st_size);
    } else {
      continue;  // sockets, FIFOs, devices: never in a context
    }
    head.push_back('\0');
    digest.update(head);
    if (S_ISREG(st.st_mode))
      digest.update(sha256_hex(read_text_file(path, path.string(), 1ull << 34)));
  }
  return "sha256:" + digest.hex_digest();
}

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to,
               const SkipRule& skip) {
  std::error_code ec;
  std::filesystem::create_directories(to, ec);
  if (ec) io_failed(to, "cannot create", ec.value());
  for (const auto& relative : list_tree(from, skip)) {
    std::filesystem::path source = from / relative, target = to / relative;
    auto status = std::filesystem::symlink_status(source, ec);
    if (ec) io_failed(source, "cannot read", ec.value());
    if (std::filesystem::is_symlink(status)) {
      std::filesystem::copy_symlink(source, target, ec);
    } else if (std::filesystem::is_directory(status)) {
      std::filesystem::create_directories(target, ec);
    } else if (std::filesystem::is_regular_file(status)) {
      std::filesystem::copy_file(source, target, std::filesystem::copy_options::overwrite_existing,
                                 ec);
    } else {
      continue;
    }
    if (ec) io_failed(target, "cannot copy " + source.string(), ec.value());
  }
}

}  // namespace ccmcp::images
