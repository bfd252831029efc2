// A build context as a tar file, made with libarchive, the same bytes for
// the same content: entries sorted, owner root, one fixed mtime. So the
// digest of the tar (taken while it is written) names the content, and an
// unchanged context can be recognised without building.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ccmcp::docker {

class TarWriter {
 public:
  // Creates (truncates) `file`. Throws Error (io) when it cannot.
  explicit TarWriter(const std::filesystem::path& file);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  void add_bytes(std::string_view name, std::string_view content, mode_t mode = 0644);
  // A file from disk under `name`; symlinks are stored as links.
  void add_path(std::string_view name, const std::filesystem::path& source);
  // `dir`'s content under `prefix` ("" for the root), recursively, sorted.
  // `skip` (relative path) leaves out a file or a whole folder.
  using Skip = std::function<bool(const std::filesystem::path& relative, bool is_dir)>;
  void add_tree(const std::filesystem::path& dir, std::string_view prefix, const Skip& skip = {});

  // Ends the archive; returns "sha256:<hex>" of the whole file.
  std::string finish();
  uint64_t bytes_written() const;

  struct State;  // opaque; public only for libarchive's callbacks

 private:
  std::unique_ptr<State> state_;
};

}  // namespace ccmcp::docker
