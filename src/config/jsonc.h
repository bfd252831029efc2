// A JSON-with-comments parser that remembers where every value is.
//
// nlohmann::json parses JSONC but forgets positions; cc-mcp needs them twice:
// to report each config problem at file:line:column, and to edit mcp.json in
// place (keeping the user's comments, order and layout) by splicing text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::config {

using Json = nlohmann::ordered_json;

struct TextPos {
  size_t offset = 0;
  int line = 1;
  int column = 1;  // in characters (UTF-8 code points), 1-based
};

// A value's place in the document: object keys and array indexes.
using PathElem = std::variant<std::string, size_t>;
using JsonPath = std::vector<PathElem>;

// For people: mcpServers.fs.args[0], volumes["./data"].
std::string path_to_string(const JsonPath& path);
JsonPath child(JsonPath path, PathElem elem);

inline constexpr size_t npos = static_cast<size_t>(-1);

struct NodeSpan {
  TextPos key;                // the member's key; equals `value` for array items and the root
  TextPos value;              // first character of the value
  size_t value_end = 0;       // one past the value's last character
  size_t comma_after = npos;  // the ',' that follows this member or item
  size_t close = npos;        // objects and arrays: offset of the closing bracket
  bool is_member = false;
};

struct ParseProblem {
  TextPos pos;
  std::string problem;
  std::string hint;
};

struct JsoncDocument {
  Json root;
  bool has_comments = false;
  // Problems that did not stop the parse (duplicate keys).
  std::vector<ParseProblem> soft_problems;

  const NodeSpan* find(const JsonPath& path) const;
  // Where to point a message about `path`: the value if it exists, else the
  // nearest ancestor that does.
  TextPos pos_of(const JsonPath& path) const;
  TextPos key_pos_of(const JsonPath& path) const;
  // Position of a byte offset (for text edits that need line starts).
  TextPos position_at(size_t offset) const;

  std::string text;
  std::unordered_map<std::string, NodeSpan> spans;  // keyed by path_key()
};

std::string path_key(const JsonPath& path);

// Parses `text` (a copy is kept in the document). Nesting deeper than 200
// levels is refused rather than risking the stack.
std::variant<JsoncDocument, ParseProblem> parse_jsonc(std::string text);

}  // namespace ccmcp::config
