#include "updates/update_run.h"

#include "config/effective.h"
#include "runtime/containers.h"
#include "updates/guard.h"
#include "updates/policy.h"
#include "updates/replace.h"

namespace ccmcp::updates::detail {

VersionRef ref_of(const images::ImageInfo& info) {
  return {info.version, info.commit, info.id};
}

bool container_runs(docker::Engine& engine, const config::Server& server) {
  auto found = runtime::find_managed(engine, config::container_name_of(server), server.name);
  return found && runtime::state_of(*found) == "running";
}

UpdateLock::UpdateLock(docker::Engine& engine, runtime::StateStore& state,
                       const std::string& server)
    : lock_(take(state, server)) {
  if (read_journal(state, server)) {
    Recovery recovery = recover(engine, state, server, std::chrono::seconds(30));
    record_recovery(state, server, recovery,
                    "an earlier " + recovery.journal.action + " died while replacing");
  }
}

FileLock UpdateLock::take(runtime::StateStore& state, const std::string& server) {
  try {
    return FileLock(update_lock_path(state.home(), server), std::chrono::milliseconds(0),
                    "another cc-mcp update or rollback of " + server);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::conflict) throw;
    throw Error(ErrorKind::conflict, quote(server),
                "another cc-mcp is updating or rolling it back right now; nothing was done",
                "wait for it to end; cc-mcp history " + server + " shows how it ended");
  }
}

UpdateResult finish(runtime::StateStore& state, UpdateResult result, Action action,
                    const std::string& source) {
  if (result.up_to_date) return result;
  HistoryEntry entry;
  entry.at = std::chrono::system_clock::now();
  entry.action = action;
  entry.outcome = result.outcome;
  entry.from = result.from;
  entry.to = result.to;
  entry.source = source;
  entry.step = result.step;
  entry.reason = result.reason;
  entry.tools = result.tools;
  append_history(state, result.name, entry);
  if (result.outcome == Outcome::kept) record_running_version(state, result.name, result.to);
  return result;
}

UpdateResult failed(UpdateResult result, Outcome outcome, std::string step, std::string reason) {
  result.outcome = outcome;
  result.step = std::move(step);
  result.reason = std::move(reason);
  return result;
}

}  // namespace ccmcp::updates::detail
