// Changes to mcp.json: read, change, write, under one lock.
//
// Many cc-mcp processes may change the same mcp.json at once (a script
// enabling twenty servers in parallel); each change is a locked
// read-modify-write, so none is lost. The lock is an flock on the folder
// that holds the file: it stays the same object across our renames and
// leaves no lock file in the user's folder.
#pragma once

#include <chrono>
#include <functional>

#include "config/load.h"

namespace ccmcp::config {

struct UpdateResult {
  bool changed = false;
  bool layout_kept = true;  // false: written anew
  bool comments_dropped = false;
  std::filesystem::path backup;  // mcp.json.bak, when changed
  std::vector<Diagnostic> warnings;
};

// Called with the current, valid config; edits `root` (the data to write).
// Throw Error to refuse: nothing is written.
using ConfigChange = std::function<void(const LoadedConfig& current, Json& root)>;

// Locks, loads (throwing InvalidConfig if the file has errors), applies
// `change`, checks the result (throwing InvalidConfig if the change would
// make the file invalid), keeps the old content in <file>.bak and replaces
// the file atomically. Symlinks are followed: the target is written.
UpdateResult update_config(const ConfigLocation& location, const ConfigChange& change,
                           std::chrono::milliseconds lock_timeout = std::chrono::seconds(30));

}  // namespace ccmcp::config
