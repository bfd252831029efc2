// Whether a server's tool definitions are well formed: clients validate
// tools/list answers and may drop a server, or a tool, whose schemas they
// cannot compile, so a broken definition is a broken tool.
//
// Rules (severity):
//   tool.definition (fail)     an entry of the list that is not an object
//   tool.name (fail/warn)      missing or empty: fail; outside the MCP naming rules
//                              (1..128 of A-Z a-z 0-9 _ - .): warn
//   tool.duplicate (fail)      two tools with one name
//   tool.description (fail)    missing, not a string, or blank
//   tool.input-schema (fail)   missing, not an object, or "type" is not "object"
//   tool.output-schema (fail)  present but not an object whose "type" is "object"
//   tool.schema (fail/warn)    a JSON Schema keyword with a malformed value
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/finding.h"

namespace ccmcp::tester {

// The tools of a tools/list result. inputSchema and outputSchema are also
// checked with check_json_schema.
Findings check_tool_definitions(const std::vector<nlohmann::json>& tools);

// Whether `schema` is a well-formed JSON Schema (drafts 7 to 2020-12, the
// ones MCP servers emit), down through every subschema. A schema is an
// object or a boolean. Evidence is `where` followed by the JSON pointer of the
// keyword: "tool read_file: inputSchema" + "/properties/path/type".
Findings check_json_schema(const nlohmann::json& schema, const std::string& where);

}  // namespace ccmcp::tester
