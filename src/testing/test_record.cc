#include "testing/test_record.h"

#include "images/naming.h"

namespace ccmcp::tester {

using Ordered = nlohmann::ordered_json;

namespace {

Ordered ordered(const nlohmann::json& value) {
  return Ordered::parse(value.dump());
}

// The newest record of a server's toolsets (by "at", RFC 3339 sorts).
const Ordered* newest_toolset(const Ordered& server) {
  if (!server.contains("tests") || !server["tests"].contains("toolsets")) return nullptr;
  const Ordered* best = nullptr;
  for (const auto& [version, record] : server["tests"]["toolsets"].items())
    if (!best || record.value("at", "") > best->value("at", "")) best = &record;
  return best;
}

}  // namespace

void record_report(runtime::StateStore& state, const TestReport& report, bool configured) {
  std::string at = images::utc_now_rfc3339();
  Ordered last = {{"at", at},
                  {"version", report.version},
                  {"image", report.image_id},
                  {"result", report.passed() ? "pass" : "fail"}};
  Ordered toolset;
  if (report.toolset.is_object()) {
    toolset = ordered(report.toolset);
    toolset["at"] = at;
    toolset["image"] = report.image_id;
  }
  state.update([&](Ordered& root) {
    if (!configured) {
      if (report.image_id.empty()) return;
      Ordered& tests = root["images"][report.image_id]["tests"];
      tests["last"] = last;
      if (!toolset.is_null()) tests["toolset"] = toolset;
      return;
    }
    Ordered& tests = root["servers"][report.subject]["tests"];
    tests["last"] = last;
    if (toolset.is_null()) return;
    Ordered& toolsets = tests["toolsets"];
    toolsets[report.version.empty() ? report.image_id : report.version] = toolset;
    while (toolsets.size() > kToolsetsKept) {
      auto oldest = toolsets.begin();
      for (auto it = toolsets.begin(); it != toolsets.end(); ++it)
        if (it.value().value("at", "") < oldest.value().value("at", "")) oldest = it;
      toolsets.erase(oldest.key());
    }
  });
}

std::optional<nlohmann::json> recorded_toolset(const runtime::StateStore& state,
                                               const std::string& server,
                                               const std::string& version) {
  auto entry = state.server(server);
  if (!entry || !entry->contains("tests") || !(*entry)["tests"].contains("toolsets"))
    return std::nullopt;
  const auto& toolsets = (*entry)["tests"]["toolsets"];
  if (!toolsets.contains(version)) return std::nullopt;
  return nlohmann::json::parse(toolsets[version].dump());
}

std::vector<OtherServerTools> recorded_tools_of_others(const runtime::StateStore& state,
                                                       const config::Config& config,
                                                       const std::string& except) {
  std::vector<OtherServerTools> out;
  Ordered root = state.load();
  if (!root.contains("servers")) return out;
  for (const auto& server : config.servers) {
    if (server.name == except || !root["servers"].contains(server.name)) continue;
    const Ordered* toolset = newest_toolset(root["servers"][server.name]);
    if (!toolset || !toolset->contains("tools")) continue;
    OtherServerTools other{server.name, {}};
    for (const auto& tool : (*toolset)["tools"])
      if (tool.contains("name") && tool["name"].is_string())
        other.tools.push_back(tool["name"].get<std::string>());
    out.push_back(std::move(other));
  }
  return out;
}

}  // namespace ccmcp::tester
