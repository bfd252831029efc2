#include "updates/notice.h"

#include "updates/check.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace ccmcp::updates {

using Json = nlohmann::ordered_json;

NoticeFacts notice_facts(const Json& root, TimePoint now) {
  NoticeFacts facts;
  if (!root.is_object()) {
    facts.background_due = true;  // no state yet: nothing was ever checked
    return facts;
  }
  if (root.contains("servers") && root["servers"].is_object())
    for (const auto& server : root["servers"].items()) {
      const Json* check = kept_check(root, server.key());
      if (check && check->value("available", false)) facts.available.push_back(server.key());
    }
  std::optional<TimePoint> last;
  if (root.contains("updates") && root["updates"].is_object() &&
      root["updates"].contains("backgroundCheckAt") &&
      root["updates"]["backgroundCheckAt"].is_string())
    last = parse_rfc3339(root["updates"]["backgroundCheckAt"].get<std::string>());
  // A time in the future (a clock set back) counts as long ago.
  facts.background_due = !last || *last + kBackgroundSpacing <= now || *last > now;
  return facts;
}

NoticeFacts read_notice_facts(const std::filesystem::path& state_file, TimePoint now) {
  std::string text;
  try {
    text = read_text_file(state_file, state_file.string(), 16ull << 20);
  } catch (const Error&) {
    return notice_facts(Json(), now);
  }
  // The key at each depth on the way down; a value under a key we do not
  // read is dropped as soon as its key is seen.
  std::vector<std::string> path;
  auto keep = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event != Event::key) return true;
    size_t at = static_cast<size_t>(depth);
    if (path.size() < at) path.resize(at);
    path[at - 1] = parsed.get<std::string>();
    if (depth == 1) return path[0] == "servers" || path[0] == "updates";
    if (depth == 3 && path[0] == "servers") return path[2] == "updates";
    if (depth == 4 && path[0] == "servers") return path[3] == "check";
    return true;
  };
  nlohmann::json root = nlohmann::json::parse(text, keep, false);
  if (root.is_discarded()) return notice_facts(Json(), now);
  return notice_facts(Json::parse(root.dump()), now);
}

std::string notice_text(const NoticeFacts& facts) {
  if (facts.available.empty()) return {};
  std::string names;
  for (size_t i = 0; i < facts.available.size() && i < 5; ++i)
    names += (i ? ", " : "") + facts.available[i];
  if (facts.available.size() > 5) names += ", ...";
  size_t count = facts.available.size();
  return "📦 Updates available for " + std::to_string(count) + (count == 1 ? " MCP" : " MCPs") +
         " (" + names + ")\nRun 'cc-mcp update-all' to update\n";
}

bool start_background_check(runtime::StateStore& state, TimePoint now,
                            const std::string& config_file) {
  bool mine = false;
  state.update([&](Json& root) {
    if (!notice_facts(root, now).background_due) return;  // another one just started
    root["updates"]["backgroundCheckAt"] = to_rfc3339(now);
    mine = true;
  });
  if (!mine) return false;
  SpawnOptions spawn;
  spawn.argv = {"/proc/self/exe"};
  if (!config_file.empty()) spawn.argv.insert(spawn.argv.end(), {"--config", config_file});
  spawn.argv.insert(spawn.argv.end(), {"check-updates", "--due", "-q"});
  spawn.grouping = SpawnOptions::Grouping::own_session;
  spawn.in = spawn.out = spawn.err = SpawnOptions::Stream::null;
  ChildProcess child(spawn);
  child.detach();
  return true;
}

}  // namespace ccmcp::updates
