// The update policies of mcp.json (source.updatePolicy, source.checkInterval):
// when a server's source is due to be asked again, and what happens then.
//
//   manual     checked when due (by the background check of the notice, or
//              `update --due`), applied only by `cc-mcp update`;
//   startup    checked when due and applied before cc-mcp starts it;
//   scheduled  checked and applied when due by `cc-mcp update --due`, which
//              the timer of `cc-mcp schedule install` runs.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/model.h"
#include "runtime/state.h"
#include "updates/clock.h"
#include "updates/history.h"

namespace ccmcp::updates {

config::UpdatePolicy policy_of(const config::Server& server);
std::chrono::seconds check_interval_of(const config::Server& server);

// When the server's source was last asked (its updates.check.at), or nullopt.
std::optional<TimePoint> last_checked(const runtime::Json& state_root, const std::string& server);

// Due: never asked, or asked checkInterval ago or longer.
bool is_due(const config::Server& server, const runtime::Json& state_root, TimePoint now);

// The servers among `servers` that are due, in their order.
std::vector<const config::Server*> due_servers(const std::vector<const config::Server*>& servers,
                                               const runtime::StateStore& state,
                                               const Clock& clock);

// After an update or rollback: the kept check result says what runs now
// (current), and whether the source's latest is still something else.
void record_running_version(runtime::StateStore& state, const std::string& server,
                            const VersionRef& running);

// The process's clock: the system's, or, with CC_MCP_NOW=<RFC 3339 time> in
// the environment (a test hook, like CC_MCP_UPDATE_FAULT), that fixed time.
// Throws Error (usage) for a CC_MCP_NOW that is not such a time.
std::unique_ptr<Clock> clock_from_environment();

}  // namespace ccmcp::updates
