#include "testing/toolset.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "util/sha256.h"

namespace ccmcp::tester {

namespace {

using nlohmann::json;

// The fields of a tool that reach the model or shape its calls.
constexpr const char* kFields[] = {"name",        "title",        "description",
                                   "inputSchema", "outputSchema", "annotations"};

std::string dump(const json& value) {
  // Replacing bad UTF-8 instead of throwing: a record must be made of any
  // answer, and the scanners report the bad bytes.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string name_of(const json& tool) {
  const auto name = tool.find("name");
  return name != tool.end() && name->is_string() ? name->get<std::string>() : "";
}

// name -> tool; the first of two tools with one name wins (the definitions
// check reports duplicates).
std::map<std::string, json> by_name(const json& record) {
  std::map<std::string, json> tools;
  if (!record.is_object()) return tools;
  const auto list = record.find("tools");
  if (list == record.end() || !list->is_array()) return tools;
  for (const json& tool : *list) {
    if (tool.is_object()) tools.emplace(name_of(tool), tool);
  }
  return tools;
}

// 10 and 10.0 are one number to JSON Schema and to json's ==, but dump
// differently; written as integers, equal tools give equal digests.
// Iterative, as tools can nest deeply.
void canonicalize_numbers(json& root) {
  std::vector<json*> stack = {&root};
  while (!stack.empty()) {
    json& value = *stack.back();
    stack.pop_back();
    if (value.is_number_float()) {
      const double number = value.get<double>();
      if (std::floor(number) == number && std::fabs(number) < 9.0e15) {
        value = static_cast<int64_t>(number);
      }
    } else if (value.is_structured()) {
      for (json& child : value) stack.push_back(&child);
    }
  }
}

bool differs(const json& before, const json& after, std::initializer_list<const char*> fields) {
  for (const char* field : fields) {
    const bool had = before.contains(field), has = after.contains(field);
    if (had != has || (had && before.at(field) != after.at(field))) return true;
  }
  return false;
}

}  // namespace

json toolset_record(const std::vector<json>& tools) {
  std::vector<json> kept;
  for (const json& tool : tools) {
    if (!tool.is_object()) continue;
    json entry = json::object();
    for (const char* field : kFields) {
      const auto value = tool.find(field);
      if (value != tool.end()) entry[field] = *value;
    }
    canonicalize_numbers(entry);
    kept.push_back(std::move(entry));
  }
  // By name, then by content, so that even tools sharing a name sort the
  // same way whatever order the server lists them in.
  std::vector<std::pair<std::string, json>> keyed;
  for (json& tool : kept) keyed.emplace_back(dump(tool), std::move(tool));
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    const std::string name_a = name_of(a.second), name_b = name_of(b.second);
    return name_a != name_b ? name_a < name_b : a.first < b.first;
  });
  json list = json::array();
  for (auto& [text, tool] : keyed) list.push_back(std::move(tool));
  return json{{"digest", sha256_hex(dump(list))}, {"tools", std::move(list)}};
}

bool ToolsetDiff::empty() const {
  return added.empty() && removed.empty() && description_changed.empty() && schema_changed.empty();
}

ToolsetDiff diff_toolsets(const json& before, const json& after) {
  const std::map<std::string, json> old_tools = by_name(before);
  const std::map<std::string, json> new_tools = by_name(after);
  ToolsetDiff diff;
  for (const auto& [name, tool] : new_tools) {
    const auto old = old_tools.find(name);
    if (old == old_tools.end()) {
      diff.added.push_back(name);
      continue;
    }
    if (differs(old->second, tool, {"title", "description"}))
      diff.description_changed.push_back(name);
    if (differs(old->second, tool, {"inputSchema", "outputSchema", "annotations"})) {
      diff.schema_changed.push_back(name);
    }
  }
  for (const auto& [name, tool] : old_tools) {
    if (!new_tools.contains(name)) diff.removed.push_back(name);
  }
  return diff;
}

}  // namespace ccmcp::tester
