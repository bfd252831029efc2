// The files of a test container as the scanners need them: every entry of
// its filesystem (path, type, mode, owner, size) and the content of the few
// files a scanner reads (application files for secrets, package.json and
// lockfiles for the dependency scan). Read from the Engine's export of the
// container (GET /containers/{id}/export, a tar stream), one pass, without
// keeping the tar: an image of a few hundred MB costs no more memory than
// the contents asked for.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "docker/engine.h"

namespace ccmcp::tester {

struct FileEntry {
  enum class Type { file, directory, symlink, other };
  std::string path;  // absolute: "/usr/bin/su"
  Type type = Type::file;
  uint32_t mode = 0;  // permission bits with setuid (04000), setgid (02000), sticky (01000)
  int64_t uid = 0, gid = 0;
  int64_t size = 0;
};

struct ImageFiles {
  std::vector<FileEntry> entries;
  std::vector<std::pair<std::string, std::string>> contents;  // (path, bytes) of the chosen ones
  int64_t total_bytes = 0;                                    // of all regular files
};

// Which files' content to keep; `max_bytes` caps each one (a larger file is
// not read, only listed).
struct ContentChoice {
  std::function<bool(const FileEntry&)> wanted;
  int64_t max_bytes = 1 << 20;
};

// Reads a tar stream given as a file descriptor (the tests feed files).
ImageFiles read_tar(int fd, const ContentChoice& choice, const std::string& subject);

// Exports the container and reads it. Throws Error (kind engine) when the
// engine fails, with the container named.
ImageFiles export_container_files(docker::Engine& engine, const std::string& container,
                                  const ContentChoice& choice);

}  // namespace ccmcp::tester
