// What a test run leaves in state ($CC_MCP_HOME/state/servers.json), so
// that updates can show what changed for the model and the next test can
// find shadowed tools:
//
//   "servers": {"filesystem": {..., "tests": {
//       "last": {"at": "...", "version": "2026.8.31", "image": "sha256:...", "result": "pass"},
//       "toolsets": {"2026.8.31": {"digest": "...", "tools": [...], "at": "...",
//                                  "image": "sha256:..."}}}}}
//   "images": {"sha256:...": {"tests": {"last": {...}, "toolset": {...}}}}   // --image runs
//
// At most kToolsetsKept versions are kept per server, the newest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/model.h"
#include "runtime/state.h"
#include "testing/tester.h"

namespace ccmcp::tester {

inline constexpr size_t kToolsetsKept = 10;

void record_report(runtime::StateStore& state, const TestReport& report, bool configured);

// The tool set recorded for a server at a version, or nullopt.
std::optional<nlohmann::json> recorded_toolset(const runtime::StateStore& state,
                                               const std::string& server,
                                               const std::string& version);

// The tool names last recorded for every other server of the config.
std::vector<OtherServerTools> recorded_tools_of_others(const runtime::StateStore& state,
                                                       const config::Config& config,
                                                       const std::string& except);

}  // namespace ccmcp::tester
