// What happened to a server's versions, kept in the state per server, the
// newest last, at most kHistoryKept entries:
//
//   "updates": {"history": [
//     {"at": "2026-12-07T17:40:01Z", "action": "update", "outcome": "kept",
//      "from": {"version": "1.0.0", "commit": "", "image": "sha256:..."},
//      "to":   {"version": "1.1.0", "commit": "", "image": "sha256:..."},
//      "source": "npm @x/y@latest", "step": "", "reason": "",
//      "tools": {"added": [...], "removed": [...], "descriptionChanged": [...],
//                "schemaChanged": [...]}}]}
//
// `cc-mcp history` reads it beside the images the engine still has.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/state.h"
#include "testing/toolset.h"
#include "updates/clock.h"

namespace ccmcp::updates {

inline constexpr size_t kHistoryKept = 100;

struct VersionRef {
  std::string version;
  std::string commit;
  std::string image;  // id
};

enum class Action { update, rollback, recover };
const char* to_string(Action action);

enum class Outcome {
  kept,         // the new version runs (or, stopped, is the current image)
  rolled_back,  // a step failed; the previous version was put back
  refused,      // not applied: tool descriptions changed without acceptance
  dry_run,      // built and tested, nothing replaced
  failed,       // a step failed before anything was replaced (build, fetch)
};
const char* to_string(Outcome outcome);

struct HistoryEntry {
  TimePoint at;
  Action action = Action::update;
  Outcome outcome = Outcome::kept;
  VersionRef from, to;
  std::string source;  // the image's source spec
  std::string step;  // the step that failed: "fetch", "build", "test", "tools", "replace", "check"
  std::string reason;
  tester::ToolsetDiff tools;
};

void append_history(runtime::StateStore& state, const std::string& server,
                    const HistoryEntry& entry);

// Oldest first.
std::vector<HistoryEntry> read_history(const runtime::StateStore& state, const std::string& server);

nlohmann::ordered_json to_json(const HistoryEntry& entry);
// {"version", "commit", "image"}: in the history, the journal and --json.
nlohmann::ordered_json to_json(const VersionRef& ref);
VersionRef version_ref_from_json(const nlohmann::ordered_json& json);  // {} for a non-object
// {"added", "removed", "descriptionChanged", "schemaChanged"}
nlohmann::ordered_json to_json(const tester::ToolsetDiff& tools);
HistoryEntry history_entry_from_json(const nlohmann::ordered_json& json);

}  // namespace ccmcp::updates
