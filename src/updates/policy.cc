#include "updates/policy.h"

#include <cstdlib>

#include "config/effective.h"
#include "updates/check.h"
#include "util/error.h"

namespace ccmcp::updates {

using Json = nlohmann::ordered_json;

config::UpdatePolicy policy_of(const config::Server& server) {
  return server.source ? server.source->update_policy.value_or(config::Defaults::update_policy)
                       : config::Defaults::update_policy;
}

std::chrono::seconds check_interval_of(const config::Server& server) {
  return server.source && server.source->check_interval ? *server.source->check_interval
                                                        : config::Defaults::check_interval;
}

std::optional<TimePoint> last_checked(const Json& root, const std::string& server) {
  const Json* record = kept_check(root, server);
  if (!record || !(*record)["at"].is_string()) return std::nullopt;
  return parse_rfc3339((*record)["at"].get<std::string>());
}

bool is_due(const config::Server& server, const Json& root, TimePoint now) {
  auto last = last_checked(root, server.name);
  return !last || *last + check_interval_of(server) <= now;
}

std::vector<const config::Server*> due_servers(const std::vector<const config::Server*>& servers,
                                               const runtime::StateStore& state,
                                               const Clock& clock) {
  Json root = state.load();
  TimePoint now = clock.now();
  std::vector<const config::Server*> due;
  for (const auto* server : servers)
    if (is_due(*server, root, now)) due.push_back(server);
  return due;
}

void record_running_version(runtime::StateStore& state, const std::string& server,
                            const VersionRef& running) {
  state.update([&](Json& root) {
    if (!kept_check(root, server)) return;  // never checked: nothing to correct
    Json& record = root["servers"][server]["updates"]["check"];
    record["current"] = running.version;
    record["currentCommit"] = running.commit;
    if (record.value("pinned", false)) return;  // the pin decides; check-updates says
    std::string latest = record.value("latest", "");
    std::string latest_commit = record.value("latestCommit", "");
    if (latest.empty()) return;
    bool same =
        !latest_commit.empty() ? latest_commit == running.commit : latest == running.version;
    record["available"] = !same;
    record["verdict"] = same ? "up to date" : "update available";
  });
}

std::unique_ptr<Clock> clock_from_environment() {
  const char* text = std::getenv("CC_MCP_NOW");
  if (!text || !*text) return std::make_unique<SystemClock>();
  auto at = parse_rfc3339(text);
  if (!at)
    throw Error(ErrorKind::usage, "CC_MCP_NOW", quote(text) + " is not an RFC 3339 UTC time",
                "e.g. CC_MCP_NOW=2026-12-07T12:00:00Z, or unset it");
  return std::make_unique<FakeClock>(*at);  // a fake that is never moved
}

}  // namespace ccmcp::updates
