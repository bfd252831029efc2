// The record of a server's tool set, kept when the server is tested, so that
// an update can show what changed in what the model is told ("rug pull": a
// tool that was harmless when approved and is rewritten later).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::tester {

// {"digest": "<sha256 hex>", "tools": [{name, title?, description,
// inputSchema, outputSchema?, annotations?}, ...]} with the tools sorted by
// name and only those fields kept. The digest is over the canonical dump of
// that list (object keys sorted), so neither the order of the server's tools
// nor the order of keys in its answer changes it. Entries that are not objects
// are left out.
nlohmann::json toolset_record(const std::vector<nlohmann::json>& tools);

// What changed between two records, each list sorted by name.
// description_changed covers the text the model reads (title, description);
// schema_changed covers inputSchema, outputSchema and annotations. So two
// records of uniquely named tools have equal digests exactly when the diff is
// empty.
struct ToolsetDiff {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<std::string> description_changed;
  std::vector<std::string> schema_changed;

  bool empty() const;
};

// `before` and `after` are records from toolset_record; anything else counts
// as a record of no tools.
ToolsetDiff diff_toolsets(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace ccmcp::tester
