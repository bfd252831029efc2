#include "testing/tool_schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp::tester {
namespace {

using nlohmann::json;

std::string listed(const Findings& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += f.rule + "(" + to_string(f.severity) + ") " + f.evidence + ": " + f.message + "\n";
  }
  return out;
}

json tool(const std::string& name, json schema = {{"type", "object"}}) {
  return json{{"name", name}, {"description", "Does a thing."}, {"inputSchema", std::move(schema)}};
}

// Schemas as real servers emit them: zod-to-json-schema (server-everything),
// the MCP SDK's own (server-filesystem), pydantic, and hand-written ones.
const std::vector<std::string> kGoodSchemas = {
    R"({"type": "object", "properties": {}})",
    R"({"type": "object", "properties": {"message": {"type": "string", "description": "Message to echo"}},
        "required": ["message"], "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"})",
    R"({"type": "object", "properties": {"paths": {"type": "array", "items": {"type": "string"},
        "minItems": 1}}, "required": ["paths"]})",
    R"({"type": "object", "properties": {"edits": {"type": "array", "items": {"type": "object",
        "properties": {"oldText": {"type": "string"}, "newText": {"type": "string"}},
        "required": ["oldText", "newText"], "additionalProperties": false}},
        "dryRun": {"type": "boolean", "default": false}}})",
    R"({"type": "object", "properties": {"sortBy": {"type": "string", "enum": ["name", "size"],
        "default": "name"}}})",
    R"({"type": "object", "properties": {"resourceId": {"type": "number", "minimum": 1,
        "maximum": 100}, "n": {"type": "integer", "exclusiveMinimum": 0, "multipleOf": 0.5}}})",
    R"({"type": "object", "properties": {"q": {"type": "string", "maxLength": 2048,
        "minLength": 1.0, "pattern": "^[a-z]+(-[a-z]+)*$", "format": "uri"}}})",
    R"({"type": "object", "properties": {"v": {"anyOf": [{"type": "string"}, {"type": "null"}],
        "default": null, "title": "V"}}})",
    R"({"type": "object", "$defs": {"Item": {"type": "object", "properties": {"id": {"type": "integer"}}}},
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/Item"}}}})",
    R"js({"type": "object", "definitions": {"x": true}, "properties": {"t": {"type": ["string", "null"]},
        "tuple": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]},
        "old": {"type": "array", "items": [{"type": "number"}], "additionalItems": false},
        "map": {"type": "object", "patternProperties": {"^x-": {"type": "string"}},
                "propertyNames": {"pattern": "^[a-z-]+$"}},
        "any": {}, "never": false, "named": {"type": "string", "pattern": "(?<year>\\d{4})"},
        "letters": {"type": "string", "pattern": "^\\p{L}+$"},
        "choice": {"oneOf": [{"const": "a"}, {"const": "b"}]}, "not": {"not": {"type": "null"}},
        "cond": {"if": {"type": "string"}, "then": {"minLength": 1}, "else": {"type": "number"}}}})js",
};

TEST(ToolSchema, GoodSchemasPass) {
  for (const std::string& text : kGoodSchemas) {
    const json schema = json::parse(text);
    const Findings findings = check_tool_definitions({tool("t", schema)});
    EXPECT_TRUE(findings.empty()) << text << "\n" << listed(findings);
  }
}

struct Bad {
  std::string schema;
  std::string evidence;  // of the first finding
  Severity severity = Severity::fail;
};

const std::vector<Bad> kBadSchemas = {
    {R"({"type": "object", "properties": {"p": {"type": "strin"}}})",
     "tool t: inputSchema/properties/p/type"},
    {R"({"type": "object", "properties": {"p": {"type": 7}}})",
     "tool t: inputSchema/properties/p/type"},
    {R"({"type": "object", "properties": {"p": {"type": ["string", "string"]}}})",
     "tool t: inputSchema/properties/p/type"},
    {R"({"type": "object", "properties": {"p": {"type": ["string", "text"]}}})",
     "tool t: inputSchema/properties/p/type"},
    {R"({"type": "object", "properties": []})", "tool t: inputSchema/properties"},
    {R"({"type": "object", "properties": {"p": "string"}})", "tool t: inputSchema/properties/p"},
    {R"({"type": "object", "properties": {"p": 3}})", "tool t: inputSchema/properties/p"},
    {R"({"type": "object", "required": "p"})", "tool t: inputSchema/required"},
    {R"({"type": "object", "required": ["p", "p"]})", "tool t: inputSchema/required"},
    {R"({"type": "object", "required": ["p", 1]})", "tool t: inputSchema/required"},
    {R"({"type": "object", "properties": {"p": {"enum": "a"}}})",
     "tool t: inputSchema/properties/p/enum"},
    {R"({"type": "object", "properties": {"p": {"enum": []}}})",
     "tool t: inputSchema/properties/p/enum", Severity::warn},
    {R"({"type": "object", "properties": {"p": {"minLength": -1}}})",
     "tool t: inputSchema/properties/p/minLength"},
    {R"({"type": "object", "properties": {"p": {"maxItems": 2.5}}})",
     "tool t: inputSchema/properties/p/maxItems"},
    {R"({"type": "object", "properties": {"p": {"maxLength": "10"}}})",
     "tool t: inputSchema/properties/p/maxLength"},
    {R"({"type": "object", "properties": {"p": {"minimum": "0"}}})",
     "tool t: inputSchema/properties/p/minimum"},
    {R"({"type": "object", "properties": {"p": {"exclusiveMaximum": true, "maximum": 3}}})",
     "tool t: inputSchema/properties/p/exclusiveMaximum", Severity::warn},
    {R"({"type": "object", "properties": {"p": {"multipleOf": 0}}})",
     "tool t: inputSchema/properties/p/multipleOf"},
    {R"({"type": "object", "properties": {"p": {"multipleOf": -2}}})",
     "tool t: inputSchema/properties/p/multipleOf"},
    {R"({"type": "object", "properties": {"p": {"pattern": "([a-z"}}})",
     "tool t: inputSchema/properties/p/pattern"},
    {R"({"type": "object", "properties": {"p": {"pattern": "(?i)abc"}}})",
     "tool t: inputSchema/properties/p/pattern"},
    {R"({"type": "object", "properties": {"p": {"pattern": 5}}})",
     "tool t: inputSchema/properties/p/pattern"},
    {R"({"type": "object", "patternProperties": {"[": {}}})",
     "tool t: inputSchema/patternProperties/["},
    {R"({"type": "object", "properties": {"p": {"items": {"type": "nope"}}}})",
     "tool t: inputSchema/properties/p/items/type"},
    {R"({"type": "object", "properties": {"p": {"items": [{"type": "string"}, 4]}}})",
     "tool t: inputSchema/properties/p/items/1"},
    {R"({"type": "object", "additionalProperties": {"type": "nope"}})",
     "tool t: inputSchema/additionalProperties/type"},
    {R"({"type": "object", "properties": {"p": {"anyOf": []}}})",
     "tool t: inputSchema/properties/p/anyOf"},
    {R"({"type": "object", "properties": {"p": {"oneOf": {"type": "string"}}}})",
     "tool t: inputSchema/properties/p/oneOf"},
    {R"({"type": "object", "properties": {"p": {"allOf": [{"type": "string"}, {"minimum": "x"}]}}})",
     "tool t: inputSchema/properties/p/allOf/1/minimum"},
    {R"({"type": "object", "properties": {"p": {"not": "x"}}})",
     "tool t: inputSchema/properties/p/not"},
    {R"({"type": "object", "$defs": {"a": {"type": "nope"}}})", "tool t: inputSchema/$defs/a/type"},
    {R"({"type": "object", "definitions": {"a": 1}})", "tool t: inputSchema/definitions/a"},
    {R"({"type": "object", "properties": {"p": {"prefixItems": [{"type": 1}]}}})",
     "tool t: inputSchema/properties/p/prefixItems/0/type"},
    {R"({"type": "object", "properties": {"p": {"$ref": 3}}})",
     "tool t: inputSchema/properties/p/$ref"},
    {R"({"type": "object", "properties": {"a/b~c": {"type": "x"}}})",
     "tool t: inputSchema/properties/a~1b~0c/type"},
};

TEST(ToolSchema, BadSchemasAreFound) {
  for (const Bad& bad : kBadSchemas) {
    const Findings findings = check_tool_definitions({tool("t", json::parse(bad.schema))});
    ASSERT_FALSE(findings.empty()) << bad.schema;
    EXPECT_EQ(findings[0].rule, "tool.schema") << bad.schema;
    EXPECT_EQ(findings[0].evidence, bad.evidence) << bad.schema << "\n" << listed(findings);
    EXPECT_EQ(findings[0].severity, bad.severity) << bad.schema;
  }
}

TEST(ToolSchema, CheckJsonSchemaOnItsOwn) {
  EXPECT_TRUE(check_json_schema(true, "x").empty());
  EXPECT_TRUE(check_json_schema(json::object(), "x").empty());
  const Findings findings = check_json_schema("string", "prompt p: schema");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence, "prompt p: schema");
  EXPECT_EQ(findings[0].message, "a schema must be an object or a boolean, not string");
  // Keywords inside values that are not schemas are data, not keywords.
  EXPECT_TRUE(check_json_schema(json::parse(R"({"default": {"type": "nope"},
      "enum": [{"minimum": "x"}], "const": {"required": 1}, "examples": [{"type": 3}]})"),
                                "x")
                  .empty());
}

TEST(ToolSchema, DeepSchemasStop) {
  json schema = {{"type", "string"}};
  for (int i = 0; i < 200; ++i) schema = json{{"items", std::move(schema)}};
  const Findings findings = check_json_schema(schema, "x");
  ASSERT_EQ(findings.size(), 1u) << listed(findings);
  EXPECT_EQ(findings[0].severity, Severity::warn);
}

TEST(ToolSchema, HostilePatternsDoNotCrash) {
  // Too long to compile safely: not judged.
  const std::string deep = std::string(20000, '(') + std::string(20000, ')');
  EXPECT_TRUE(check_json_schema(json{{"pattern", deep}}, "x").empty());
  // As deep as the limit allows: compiled.
  const std::string nested = std::string(512, '(') + std::string(512, ')');
  EXPECT_TRUE(check_json_schema(json{{"pattern", nested}}, "x").empty());
  const std::string unbalanced = std::string(511, '(') + std::string(512, ')');
  EXPECT_EQ(check_json_schema(json{{"pattern", unbalanced}}, "x").size(), 1u);
}

TEST(ToolSchema, Names) {
  const Findings good = check_tool_definitions(
      {tool("read_file"), tool("get-env"), tool("ns.tool_2"), tool(std::string(128, 'a'))});
  EXPECT_TRUE(good.empty()) << listed(good);

  for (const std::string& name : {std::string("read file"), std::string("tool/x"),
                                  std::string("caf\xC3\xA9"), std::string(129, 'a')}) {
    const Findings findings = check_tool_definitions({tool(name)});
    ASSERT_EQ(findings.size(), 1u) << name << "\n" << listed(findings);
    EXPECT_EQ(findings[0].rule, "tool.name");
    EXPECT_EQ(findings[0].severity, Severity::warn);
  }

  json unnamed = tool("x");
  unnamed.erase("name");
  json empty = tool("");
  json number = tool("x");
  number["name"] = 3;
  const Findings findings = check_tool_definitions({unnamed, empty, number});
  ASSERT_EQ(findings.size(), 3u) << listed(findings);
  for (const Finding& f : findings) {
    EXPECT_EQ(f.rule, "tool.name");
    EXPECT_EQ(f.severity, Severity::fail);
  }
  EXPECT_EQ(findings[0].evidence, "tool #1: name");
  EXPECT_EQ(findings[2].evidence, "tool #3: name");
}

TEST(ToolSchema, Duplicates) {
  const Findings findings = check_tool_definitions({tool("a"), tool("b"), tool("a"), tool("a")});
  ASSERT_EQ(findings.size(), 1u) << listed(findings);
  EXPECT_EQ(findings[0].rule, "tool.duplicate");
  EXPECT_EQ(findings[0].severity, Severity::fail);
  EXPECT_EQ(findings[0].evidence, "tool a");
}

TEST(ToolSchema, Descriptions) {
  json missing = tool("a");
  missing.erase("description");
  json blank = tool("b");
  blank["description"] = " \n\t";
  json number = tool("c");
  number["description"] = 1;
  const Findings findings = check_tool_definitions({missing, blank, number});
  ASSERT_EQ(findings.size(), 3u) << listed(findings);
  for (const Finding& f : findings) {
    EXPECT_EQ(f.rule, "tool.description");
    EXPECT_EQ(f.severity, Severity::fail);
  }
  EXPECT_EQ(findings[1].evidence, "tool b: description");
}

TEST(ToolSchema, InputSchemaMustBeAnObjectSchema) {
  json missing = tool("a");
  missing.erase("inputSchema");
  const std::vector<std::pair<json, std::string>> cases = {
      {missing, "tool a: inputSchema"},
      {tool("b", "object"), "tool b: inputSchema"},
      {tool("c", json::object()), "tool c: inputSchema"},
      {tool("d", {{"type", "array"}}), "tool d: inputSchema/type"},
      {tool("e", true), "tool e: inputSchema"},
  };
  for (const auto& [t, evidence] : cases) {
    const Findings findings = check_tool_definitions({t});
    ASSERT_FALSE(findings.empty()) << t.dump();
    EXPECT_EQ(findings[0].rule, "tool.input-schema") << t.dump();
    EXPECT_EQ(findings[0].severity, Severity::fail);
    EXPECT_EQ(findings[0].evidence, evidence);
  }
}

TEST(ToolSchema, OutputSchemaIsCheckedWhenPresent) {
  json good = tool("a");
  good["outputSchema"] = {{"type", "object"}, {"properties", {{"content", {{"type", "string"}}}}}};
  EXPECT_TRUE(check_tool_definitions({good}).empty());

  json wrong = tool("b");
  wrong["outputSchema"] = {{"type", "string"}};
  Findings findings = check_tool_definitions({wrong});
  ASSERT_EQ(findings.size(), 1u) << listed(findings);
  EXPECT_EQ(findings[0].rule, "tool.output-schema");
  EXPECT_EQ(findings[0].evidence, "tool b: outputSchema/type");

  json nested = tool("c");
  nested["outputSchema"] = {{"type", "object"}, {"properties", {{"n", {{"type", "int"}}}}}};
  findings = check_tool_definitions({nested});
  ASSERT_EQ(findings.size(), 1u) << listed(findings);
  EXPECT_EQ(findings[0].rule, "tool.schema");
  EXPECT_EQ(findings[0].evidence, "tool c: outputSchema/properties/n/type");
}

TEST(ToolSchema, EntriesThatAreNotObjects) {
  const Findings findings = check_tool_definitions({tool("a"), json("b"), json()});
  ASSERT_EQ(findings.size(), 2u) << listed(findings);
  EXPECT_EQ(findings[0].rule, "tool.definition");
  EXPECT_EQ(findings[0].evidence, "tool #2");
  EXPECT_EQ(findings[1].evidence, "tool #3");
}

TEST(ToolSchema, ReferenceServerToolsPass) {
  // read_text_file and create_entities, as the reference servers list them.
  const std::vector<json> tools = {
      json::parse(R"({"name": "read_text_file", "title": "Read Text File",
        "description": "Read the complete contents of a file from the file system as text.",
        "inputSchema": {"type": "object", "properties": {"path": {"type": "string"},
          "tail": {"type": "number", "description": "If provided, returns only the last N lines of the file"},
          "head": {"type": "number", "description": "If provided, returns only the first N lines of the file"}},
          "required": ["path"], "additionalProperties": false,
          "$schema": "http://json-schema.org/draft-07/schema#"},
        "outputSchema": {"type": "object", "properties": {"content": {"type": "string"}},
          "required": ["content"], "additionalProperties": false,
          "$schema": "http://json-schema.org/draft-07/schema#"},
        "annotations": {"readOnlyHint": true}})"),
      json::parse(R"({"name": "create_entities", "title": "Create Entities",
        "description": "Create multiple new entities in the knowledge graph",
        "inputSchema": {"type": "object", "properties": {"entities": {"type": "array", "items": {
          "type": "object", "properties": {
            "name": {"type": "string", "description": "The name of the entity"},
            "entityType": {"type": "string", "description": "The type of the entity"},
            "observations": {"type": "array", "items": {"type": "string"},
              "description": "An array of observation contents associated with the entity"}},
          "required": ["name", "entityType", "observations"], "additionalProperties": false}}},
          "required": ["entities"], "additionalProperties": false,
          "$schema": "http://json-schema.org/draft-07/schema#"},
        "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false,
          "openWorldHint": false}})"),
  };
  const Findings findings = check_tool_definitions(tools);
  EXPECT_TRUE(findings.empty()) << listed(findings);
}

}  // namespace
}  // namespace ccmcp::tester
