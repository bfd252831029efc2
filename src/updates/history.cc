#include "updates/history.h"

namespace ccmcp::updates {

using Json = nlohmann::ordered_json;

const char* to_string(Action action) {
  switch (action) {
    case Action::update:
      return "update";
    case Action::rollback:
      return "rollback";
    case Action::recover:
      return "recover";
  }
  return "?";
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kept:
      return "kept";
    case Outcome::rolled_back:
      return "rolled back";
    case Outcome::refused:
      return "refused";
    case Outcome::dry_run:
      return "dry run";
    case Outcome::failed:
      return "failed";
  }
  return "?";
}

namespace {

std::vector<std::string> names(const Json& json, const char* key) {
  std::vector<std::string> out;
  if (json.is_object() && json.contains(key) && json[key].is_array())
    for (const auto& item : json[key])
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

template <typename Enum, size_t N>
Enum parse_enum(const std::string& text, const Enum (&values)[N], Enum fallback) {
  for (Enum value : values)
    if (text == to_string(value)) return value;
  return fallback;
}

}  // namespace

Json to_json(const HistoryEntry& entry) {
  Json json = {{"at", to_rfc3339(entry.at)},
               {"action", to_string(entry.action)},
               {"outcome", to_string(entry.outcome)},
               {"from", to_json(entry.from)},
               {"to", to_json(entry.to)},
               {"source", entry.source},
               {"step", entry.step},
               {"reason", entry.reason}};
  if (!entry.tools.empty()) json["tools"] = to_json(entry.tools);
  return json;
}

Json to_json(const VersionRef& ref) {
  return {{"version", ref.version}, {"commit", ref.commit}, {"image", ref.image}};
}

VersionRef version_ref_from_json(const Json& json) {
  VersionRef ref;
  if (!json.is_object()) return ref;
  ref.version = json.value("version", "");
  ref.commit = json.value("commit", "");
  ref.image = json.value("image", "");
  return ref;
}

Json to_json(const tester::ToolsetDiff& tools) {
  return {{"added", tools.added},
          {"removed", tools.removed},
          {"descriptionChanged", tools.description_changed},
          {"schemaChanged", tools.schema_changed}};
}

HistoryEntry history_entry_from_json(const Json& json) {
  static constexpr Action kActions[] = {Action::update, Action::rollback, Action::recover};
  static constexpr Outcome kOutcomes[] = {Outcome::kept, Outcome::rolled_back, Outcome::refused,
                                          Outcome::dry_run, Outcome::failed};
  HistoryEntry entry;
  if (!json.is_object()) return entry;
  entry.at = parse_rfc3339(json.value("at", "")).value_or(TimePoint{});
  entry.action = parse_enum(json.value("action", ""), kActions, Action::update);
  entry.outcome = parse_enum(json.value("outcome", ""), kOutcomes, Outcome::failed);
  if (json.contains("from")) entry.from = version_ref_from_json(json["from"]);
  if (json.contains("to")) entry.to = version_ref_from_json(json["to"]);
  entry.source = json.value("source", "");
  entry.step = json.value("step", "");
  entry.reason = json.value("reason", "");
  if (json.contains("tools")) {
    const Json& tools = json["tools"];
    entry.tools.added = names(tools, "added");
    entry.tools.removed = names(tools, "removed");
    entry.tools.description_changed = names(tools, "descriptionChanged");
    entry.tools.schema_changed = names(tools, "schemaChanged");
  }
  return entry;
}

void append_history(runtime::StateStore& state, const std::string& server,
                    const HistoryEntry& entry) {
  Json line = to_json(entry);
  state.update([&](Json& root) {
    Json& history = root["servers"][server]["updates"]["history"];
    if (!history.is_array()) history = Json::array();
    history.push_back(line);
    while (history.size() > kHistoryKept) history.erase(history.begin());
  });
}

std::vector<HistoryEntry> read_history(const runtime::StateStore& state,
                                       const std::string& server) {
  std::vector<HistoryEntry> out;
  auto entry = state.server(server);
  if (!entry || !entry->contains("updates") || !(*entry)["updates"].contains("history")) return out;
  const Json& history = (*entry)["updates"]["history"];
  if (!history.is_array()) return out;
  for (const auto& item : history) out.push_back(history_entry_from_json(item));
  return out;
}

}  // namespace ccmcp::updates
