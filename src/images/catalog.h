// The images cc-mcp built for one server (label dev.cc-mcp.name=NAME), and
// the rule that keeps the current one and the previous three for rollback.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "docker/engine.h"

namespace ccmcp::images {

inline constexpr size_t kPreviousVersionsKept = 3;

struct ImageRecord {
  std::string id;
  std::vector<std::string> tags;  // "cc-mcp/NAME:1.2.3"; empty for an untagged one
  std::string version, commit, source, created_text;
  std::string recipe;   // the no-op key it was built from (recipe.h)
  int64_t created = 0;  // unix seconds
  int64_t size = 0;
  bool current = false;  // tagged cc-mcp/NAME:latest
};

// Newest first.
std::vector<ImageRecord> list_server_images(docker::Engine& engine, const std::string& server);

// Which to remove: every untagged one (its version was built again) and
// every one past the current and the `keep` newest others. Pure.
std::vector<std::string> choose_removals(const std::vector<ImageRecord>& images,
                                         size_t keep = kPreviousVersionsKept);

struct RetentionResult {
  std::vector<std::string> removed;      // ids
  std::vector<std::string> kept_in_use;  // ids the engine refused to remove (a container uses it)
};

RetentionResult apply_retention(docker::Engine& engine, const std::string& server);

}  // namespace ccmcp::images
