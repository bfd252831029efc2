// What update and rollback share (internal to src/updates): the server's
// update lock, the history entry that ends a run, and small conversions.
#pragma once

#include <string>

#include "docker/engine.h"
#include "images/ensure.h"
#include "runtime/state.h"
#include "updates/update.h"
#include "util/file_lock.h"

namespace ccmcp::updates::detail {

VersionRef ref_of(const images::ImageInfo& info);
// mcp-NAME exists, is ours and runs.
bool container_runs(docker::Engine& engine, const config::Server& server);

// Holds the server's update lock (refused at once, by name, when another
// update or rollback of it runs) and puts right what a killed update left
// (its guard may not have run: a reboot).
class UpdateLock {
 public:
  UpdateLock(docker::Engine& engine, runtime::StateStore& state, const std::string& server);

 private:
  static FileLock take(runtime::StateStore& state, const std::string& server);
  FileLock lock_;
};

// Ends a run: its history entry (none for "up to date"), and for a version
// kept, the kept check result corrected (policy.h).
UpdateResult finish(runtime::StateStore& state, UpdateResult result, Action action,
                    const std::string& source);
UpdateResult failed(UpdateResult result, Outcome outcome, std::string step, std::string reason);

}  // namespace ccmcp::updates::detail
