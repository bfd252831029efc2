// An exclusive flock held for the owner's lifetime, waited for up to a time.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "util/unique_fd.h"

namespace ccmcp {

class FileLock {
 public:
  // Creates `file` (and its folder) when missing. Throws Error: conflict
  // when another process holds it past `timeout` (`holder` says who would),
  // io when it cannot be made.
  FileLock(const std::filesystem::path& file, std::chrono::milliseconds timeout,
           const std::string& holder);

 private:
  UniqueFd fd_;
};

}  // namespace ccmcp
