// check-updates: for each server with a source, the version its image has
// against what the source offers now (latest.h), all asked side by side,
// each bounded by a time-out. A source that cannot be asked is a result
// with its reason (and the last answer it gave, from the state), never a
// failure of the others. Results are kept in the state, per server:
//
//   "updates": {"check": {"at": "2026-12-07T14:10:38Z", "current": "1.0.0",
//               "latest": "1.1.0", "latestCommit": "", "pinned": false,
//               "available": true, "error": "", "answeredAt": "..."}}
//
// which the start-up notice and `update --due` read without the network.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/home.h"
#include "config/model.h"
#include "docker/engine.h"
#include "runtime/state.h"
#include "updates/clock.h"
#include "updates/latest.h"

namespace ccmcp::updates {

// What a server runs now: its image cc-mcp/NAME:latest, from the labels.
struct CurrentVersion {
  bool built = false;
  std::string version;  // "2026.8.31", "1a2b3c4d5e6f", ...
  std::string commit;   // git
};

enum class Verdict {
  up_to_date,
  available,  // the source has a newer version than the image (or, pinned, the
              // image is not the version mcp.json names)
  not_built,  // no image yet: the first start builds the latest
  pinned,     // the image is the version mcp.json names; the source has a newer one
  unknown,    // the source could not be asked
};
const char* to_string(Verdict verdict);

struct UpdateCheck {
  std::string name;
  std::string kind;    // "npm", "git", "local"
  std::string source;  // "npm @scope/pkg", "git URL (branch main)", "local /abs"
  std::string policy;  // "manual", "startup", "scheduled"
  CurrentVersion current;
  LatestVersion latest;  // empty version when the source did not answer
  std::string error;     // why the source could not be asked
  TimePoint checked_at;
  std::optional<TimePoint> answered_at;  // the last time the source answered (maybe earlier)
  std::chrono::milliseconds took{0};

  Verdict verdict() const;
};

// The verdict for a current image and what the source offers: git commits
// compare by id; versions by SemVer where both are versions (a newer image,
// say a pre-release, is not downgraded), else by equality.
Verdict decide(const std::string& kind, const CurrentVersion& current, const LatestVersion& latest);

// True when the image is the version mcp.json pins (`pin`: an npm version,
// a git tag, or a commit id or its prefix).
bool at_pin(const std::string& kind, const CurrentVersion& current, const std::string& pin);

struct CheckOptions {
  std::chrono::seconds timeout{30};  // per source
  size_t parallel = 16;              // sources asked at the same time
};

// Asks every server's source at once. `servers` must have a source (an npm,
// git or local build; check with has_update_source).
std::vector<UpdateCheck> check_updates(docker::Engine& engine,
                                       const std::vector<const config::Server*>& servers,
                                       const runtime::StateStore& state, const Clock& clock,
                                       const CheckOptions& options);

// True for a docker server built from npm (or an npx command), git or a
// local folder.
bool has_update_source(const config::Server& server);

// The kept check result of `server` in the state's JSON (servers.NAME.
// updates.check), or nullptr: what check, the policies and the notice read.
const runtime::Json* kept_check(const runtime::Json& state_root, const std::string& server);

// Keeps the results in the state (an error keeps the last answer's versions).
void record_checks(runtime::StateStore& state, const std::vector<UpdateCheck>& checks);

nlohmann::ordered_json to_json(const UpdateCheck& check);

}  // namespace ccmcp::updates
