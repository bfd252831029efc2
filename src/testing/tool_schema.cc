#include "testing/tool_schema.h"

#include <cmath>
#include <regex>
#include <set>
#include <string_view>

#include "testing/tool_scan.h"

namespace ccmcp::tester {

namespace {

using nlohmann::json;

// Deeper schemas are legal, but nothing a tool takes needs them, and the
// check is recursive.
constexpr int kMaxDepth = 64;

// Patterns longer than this are not compiled: std::regex compiles
// recursively, and 20000 nested groups overflow an 8 MiB stack. Real patterns
// are far shorter; 1 KiB (at most 512 levels) leaves room on small stacks.
constexpr size_t kMaxPatternBytes = 1024;

bool is_non_negative_integer(const json& value) {
  if (value.is_number_unsigned()) return true;
  if (value.is_number_integer()) return value.get<long long>() >= 0;
  if (value.is_number_float()) {
    const double number = value.get<double>();
    return std::isfinite(number) && number >= 0 && std::floor(number) == number;
  }
  return false;
}

// Why `pattern` is not an ECMAScript regular expression, or "" if it is or
// std::regex cannot tell. std::regex knows ECMAScript 3; the named groups,
// lookbehinds and \p{...} classes of ES2018 are valid in JSON Schema but
// unknown to it, so patterns that use them are not judged.
std::string regex_problem(const std::string& pattern) {
  for (std::string_view modern : {"(?<", "\\p{", "\\P{", "\\k<"}) {
    if (pattern.find(modern) != std::string::npos) return "";
  }
  if (pattern.size() > kMaxPatternBytes) return "";
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return error.what();
  }
  return "";
}

class SchemaChecker {
 public:
  SchemaChecker(const std::string& where, Findings& out) : where_(where), out_(out) {}

  void schema(const json& value, const std::string& path, int depth) {
    if (value.is_boolean()) return;
    if (!value.is_object()) {
      fail(path, "a schema must be an object or a boolean, not " + std::string(value.type_name()));
      return;
    }
    if (depth > kMaxDepth) {
      warn(path, "schema nests deeper than " + std::to_string(kMaxDepth) +
                     " levels; not checked further");
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      keyword(it.key(), it.value(), path + "/" + pointer_segment(it.key()), depth);
    }
  }

 private:
  void keyword(const std::string& name, const json& value, const std::string& path, int depth) {
    static const std::set<std::string> subschemas = {"additionalProperties",
                                                     "additionalItems",
                                                     "not",
                                                     "contains",
                                                     "propertyNames",
                                                     "if",
                                                     "then",
                                                     "else",
                                                     "unevaluatedProperties",
                                                     "unevaluatedItems"};
    static const std::set<std::string> schema_lists = {"anyOf", "oneOf", "allOf", "prefixItems"};
    static const std::set<std::string> schema_maps = {"properties", "patternProperties", "$defs",
                                                      "definitions", "dependentSchemas"};
    static const std::set<std::string> counts = {"maxLength",   "minLength",     "maxItems",
                                                 "minItems",    "maxProperties", "minProperties",
                                                 "maxContains", "minContains"};
    static const std::set<std::string> bounds = {"minimum", "maximum"};
    if (subschemas.contains(name)) {
      schema(value, path, depth + 1);
    } else if (name == "items") {
      // An array of schemas is draft 7's tuple form.
      if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i)
          schema(value[i], path + "/" + std::to_string(i), depth + 1);
      } else {
        schema(value, path, depth + 1);
      }
    } else if (schema_lists.contains(name)) {
      if (!value.is_array() || value.empty()) {
        fail(path, name + " must be a non-empty array of schemas");
        return;
      }
      for (size_t i = 0; i < value.size(); ++i)
        schema(value[i], path + "/" + std::to_string(i), depth + 1);
    } else if (schema_maps.contains(name)) {
      if (!value.is_object()) {
        fail(path, name + " must be an object of schemas");
        return;
      }
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string child = path + "/" + pointer_segment(it.key());
        if (name == "patternProperties") pattern(it.key(), child, "patternProperties key");
        schema(it.value(), child, depth + 1);
      }
    } else if (name == "type") {
      type(value, path);
    } else if (name == "required") {
      required(value, path);
    } else if (name == "enum") {
      if (!value.is_array()) {
        fail(path, "enum must be an array");
      } else if (value.empty()) {
        warn(path, "enum is empty, so no value is valid");
      }
    } else if (counts.contains(name)) {
      if (!is_non_negative_integer(value)) fail(path, name + " must be a non-negative integer");
    } else if (bounds.contains(name)) {
      if (!value.is_number()) fail(path, name + " must be a number");
    } else if (name == "exclusiveMinimum" || name == "exclusiveMaximum") {
      if (value.is_boolean()) {
        warn(path, name + " is a boolean, the draft 4 form; later drafts want the bound itself");
      } else if (!value.is_number()) {
        fail(path, name + " must be a number");
      }
    } else if (name == "multipleOf") {
      if (!value.is_number() || !(value.get<double>() > 0))
        fail(path, "multipleOf must be a number above 0");
    } else if (name == "pattern") {
      if (!value.is_string()) {
        fail(path, "pattern must be a string");
      } else {
        pattern(value.get_ref<const std::string&>(), path, "pattern");
      }
    } else if (name == "format" || name == "$ref" || name == "$schema" || name == "$id") {
      if (!value.is_string()) fail(path, name + " must be a string");
    }
  }

  void type(const json& value, const std::string& path) {
    static const std::set<std::string> names = {"string", "number", "integer", "boolean",
                                                "object", "array",  "null"};
    auto known = [&](const json& t) {
      return t.is_string() && names.contains(t.get_ref<const std::string&>());
    };
    if (value.is_string()) {
      if (!known(value)) {
        fail(path, "type \"" + printable(value.get_ref<const std::string&>(), 60) +
                       "\" is not a JSON Schema type");
      }
      return;
    }
    if (!value.is_array()) {
      fail(path, "type must be a type name or an array of them");
      return;
    }
    std::set<std::string> seen;
    for (const json& t : value) {
      if (!known(t)) {
        fail(path, "type lists " +
                       printable(t.dump(-1, ' ', false, json::error_handler_t::replace), 60) +
                       ", not a JSON Schema type");
        return;
      }
      if (!seen.insert(t.get<std::string>()).second) {
        fail(path, "type lists \"" + t.get<std::string>() + "\" twice");
        return;
      }
    }
  }

  void required(const json& value, const std::string& path) {
    if (!value.is_array()) {
      fail(path, "required must be an array of property names");
      return;
    }
    std::set<std::string> seen;
    for (const json& name : value) {
      if (!name.is_string()) {
        fail(path, "required must hold only strings");
        return;
      }
      if (!seen.insert(name.get<std::string>()).second) {
        fail(path,
             "required lists \"" + printable(name.get_ref<const std::string&>(), 60) + "\" twice");
        return;
      }
    }
  }

  void pattern(const std::string& regex, const std::string& path, const char* what) {
    const std::string problem = regex_problem(regex);
    if (!problem.empty()) {
      fail(path, std::string(what) + " \"" + printable(regex, 60) +
                     "\" is not a valid ECMAScript regular expression (" + problem + ")");
    }
  }

  void fail(const std::string& path, std::string message) {
    add(Severity::fail, path, std::move(message));
  }
  void warn(const std::string& path, std::string message) {
    add(Severity::warn, path, std::move(message));
  }
  void add(Severity severity, const std::string& path, std::string message) {
    out_.push_back(Finding{"tool.schema", severity, std::move(message), where_ + path, ""});
  }

  const std::string& where_;
  Findings& out_;
};

// MCP's naming rules for tools (SHOULD, hence a warning).
bool follows_naming_rules(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// inputSchema and outputSchema: an object schema at the top, as MCP requires,
// and well formed all the way down.
void check_top_schema(const json& tool, const char* field, const char* rule,
                      const std::string& label, Findings& out) {
  const std::string evidence = label + ": " + field;
  const auto schema = tool.find(field);
  if (schema == tool.end()) {
    out.push_back(Finding{rule, Severity::fail, std::string(field) + " is missing", evidence, ""});
    return;
  }
  if (!schema->is_object()) {
    out.push_back(Finding{rule, Severity::fail,
                          std::string(field) + " must be a JSON object, not " + schema->type_name(),
                          evidence, ""});
    return;
  }
  const auto type = schema->find("type");
  if (type == schema->end() || *type != "object") {
    out.push_back(Finding{rule, Severity::fail,
                          std::string(field) + " must have \"type\": \"object\"",
                          evidence + (type == schema->end() ? "" : "/type"), ""});
  }
  Findings nested = check_json_schema(*schema, evidence);
  out.insert(out.end(), nested.begin(), nested.end());
}

}  // namespace

Findings check_json_schema(const json& schema, const std::string& where) {
  Findings out;
  SchemaChecker(where, out).schema(schema, "", 0);
  return out;
}

Findings check_tool_definitions(const std::vector<json>& tools) {
  Findings out;
  std::set<std::string> names;
  std::set<std::string> reported;
  for (size_t i = 0; i < tools.size(); ++i) {
    const json& tool = tools[i];
    const std::string label = tool_label(tool, i);
    if (!tool.is_object()) {
      out.push_back(Finding{"tool.definition", Severity::fail,
                            std::string("a tool must be a JSON object, not ") + tool.type_name(),
                            label, ""});
      continue;
    }
    const auto name = tool.find("name");
    if (name == tool.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
      out.push_back(
          Finding{"tool.name", Severity::fail, "the tool has no name", label + ": name", ""});
    } else {
      const std::string& text = name->get_ref<const std::string&>();
      if (!follows_naming_rules(text)) {
        out.push_back(Finding{"tool.name", Severity::warn,
                              "name \"" + printable(text, 80) +
                                  "\" breaks MCP's naming rules (1 to 128 of A-Z a-z 0-9 _ - .)",
                              label + ": name", ""});
      }
      if (!names.insert(text).second && reported.insert(text).second) {
        out.push_back(Finding{
            "tool.duplicate", Severity::fail,
            "two tools are named \"" + printable(text, 80) + "\"; a client can call only one",
            label, ""});
      }
    }
    const auto description = tool.find("description");
    if (description == tool.end() || !description->is_string() ||
        is_blank(description->get_ref<const std::string&>())) {
      out.push_back(Finding{"tool.description", Severity::fail,
                            "the tool has no description, so the model cannot know what it does",
                            label + ": description", ""});
    }
    check_top_schema(tool, "inputSchema", "tool.input-schema", label, out);
    if (tool.contains("outputSchema")) {
      check_top_schema(tool, "outputSchema", "tool.output-schema", label, out);
    }
  }
  return out;
}

}  // namespace ccmcp::tester
