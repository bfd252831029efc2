#include "testing/toolset.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/sha256.h"

namespace ccmcp::tester {
namespace {

using nlohmann::json;

json tool(const std::string& name, const std::string& description = "Does a thing.") {
  return json{
      {"name", name},
      {"description", description},
      {"inputSchema", {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}}}};
}

using Names = std::vector<std::string>;

TEST(Toolset, RecordKeepsTheModelsFieldsSortedByName) {
  json b = tool("b");
  b["title"] = "B";
  b["outputSchema"] = {{"type", "object"}};
  b["annotations"] = {{"readOnlyHint", true}};
  b["_meta"] = {{"x", 1}};  // not something the model reads
  b["icons"] = json::array();
  const json record = toolset_record({b, tool("a")});
  ASSERT_TRUE(record.contains("digest"));
  ASSERT_EQ(record["tools"].size(), 2u);
  EXPECT_EQ(record["tools"][0], tool("a"));
  json expected = b;
  expected.erase("_meta");
  expected.erase("icons");
  EXPECT_EQ(record["tools"][1], expected);
  EXPECT_EQ(record["digest"], sha256_hex(record["tools"].dump()));
  EXPECT_EQ(record["digest"].get<std::string>().size(), 64u);
}

TEST(Toolset, DigestIgnoresOrder) {
  const json one = json::parse(R"({"name": "a", "description": "d",
      "inputSchema": {"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "number"}}}})");
  const json same = json::parse(R"({"inputSchema": {"properties": {"y": {"type": "number"},
      "x": {"type": "string"}}, "type": "object"}, "description": "d", "name": "a"})");
  EXPECT_EQ(toolset_record({one, tool("b")})["digest"],
            toolset_record({tool("b"), same})["digest"]);
}

TEST(Toolset, DigestChangesWithAnyField) {
  const std::string base = toolset_record({tool("a")})["digest"];
  json changed = tool("a");
  changed["annotations"] = {{"destructiveHint", true}};
  EXPECT_NE(toolset_record({changed})["digest"], base);
  EXPECT_NE(toolset_record({tool("a", "Does another thing.")})["digest"], base);
  EXPECT_NE(toolset_record({tool("a"), tool("b")})["digest"], base);
  // A field the record does not keep does not change it.
  json meta = tool("a");
  meta["_meta"] = {{"v", 2}};
  EXPECT_EQ(toolset_record({meta})["digest"], base);
}

TEST(Toolset, DuplicateNamesSortTheSameWay) {
  const json first = tool("a", "one"), second = tool("a", "two");
  EXPECT_EQ(toolset_record({first, second}), toolset_record({second, first}));
}

TEST(Toolset, EntriesThatAreNotObjectsAreLeftOut) {
  const json record = toolset_record({json("x"), tool("a"), json()});
  EXPECT_EQ(record["tools"].size(), 1u);
  EXPECT_EQ(toolset_record({})["tools"], json::array());
}

TEST(Toolset, InvalidUtf8DoesNotThrow) {
  EXPECT_NO_THROW(toolset_record({tool("a", "caf\xE9")}));
}

TEST(Toolset, DiffOfEqualRecordsIsEmpty) {
  const json record = toolset_record({tool("a"), tool("b")});
  EXPECT_TRUE(diff_toolsets(record, record).empty());
  EXPECT_TRUE(diff_toolsets(json(), json::object()).empty());
}

TEST(Toolset, Diff) {
  json edited = tool("edited", "New text.");
  json retitled = tool("retitled");
  retitled["title"] = "New title";
  json reshaped = tool("reshaped");
  reshaped["inputSchema"]["properties"]["extra"] = {{"type", "string"}};
  json rehinted = tool("rehinted");
  rehinted["annotations"] = {{"readOnlyHint", false}};
  json both = tool("both", "New.");
  both["outputSchema"] = {{"type", "object"}};

  const json before = toolset_record({tool("kept"), tool("gone"), tool("edited"), tool("retitled"),
                                      tool("reshaped"), tool("rehinted"), tool("both")});
  const json after = toolset_record(
      {tool("kept"), tool("new"), tool("another"), edited, retitled, reshaped, rehinted, both});
  const ToolsetDiff diff = diff_toolsets(before, after);
  EXPECT_FALSE(diff.empty());
  EXPECT_EQ(diff.added, (Names{"another", "new"}));
  EXPECT_EQ(diff.removed, (Names{"gone"}));
  EXPECT_EQ(diff.description_changed, (Names{"both", "edited", "retitled"}));
  EXPECT_EQ(diff.schema_changed, (Names{"both", "rehinted", "reshaped"}));

  const ToolsetDiff back = diff_toolsets(after, before);
  EXPECT_EQ(back.added, (Names{"gone"}));
  EXPECT_EQ(back.removed, (Names{"another", "new"}));
}

TEST(Toolset, DiffFromNothing) {
  const ToolsetDiff diff = diff_toolsets(json::object(), toolset_record({tool("b"), tool("a")}));
  EXPECT_EQ(diff.added, (Names{"a", "b"}));
  EXPECT_TRUE(diff.removed.empty());
}

TEST(Toolset, NumbersCompareByValue) {
  json one = tool("a");
  one["inputSchema"]["properties"]["path"]["maxLength"] = 10;
  json same = tool("a");
  same["inputSchema"]["properties"]["path"]["maxLength"] = 10.0;
  EXPECT_TRUE(diff_toolsets(toolset_record({one}), toolset_record({same})).empty());
  EXPECT_EQ(toolset_record({one})["digest"], toolset_record({same})["digest"]);
  json fraction = tool("a");
  fraction["inputSchema"]["properties"]["path"]["multipleOf"] = 0.5;
  EXPECT_EQ(
      toolset_record({fraction})["tools"][0]["inputSchema"]["properties"]["path"]["multipleOf"],
      0.5);
}

}  // namespace
}  // namespace ccmcp::tester
