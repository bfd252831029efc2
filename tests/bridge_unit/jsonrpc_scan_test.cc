#include "bridge/jsonrpc_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::bridge {
namespace {

TEST(JsonRpcScan, FindsTheTopLevelMembers) {
  std::string text =
      R"({"jsonrpc":"2.0", "id" : 42,"method":"tools/call","params":{"id":"inner","x":[1,{"id":2}]}})";
  TopLevelFields f;
  ASSERT_TRUE(scan_top_level(text, f));
  EXPECT_EQ(f.jsonrpc.of(text), "\"2.0\"");
  EXPECT_EQ(f.id.of(text), "42");  // the top-level id, not the nested ones
  EXPECT_EQ(f.method.of(text), "\"tools/call\"");
  EXPECT_EQ(f.params.of(text), R"({"id":"inner","x":[1,{"id":2}]})");
  EXPECT_FALSE(f.result.found);
  EXPECT_FALSE(f.error.found);
}

TEST(JsonRpcScan, StringIdsKeepTheirQuotesAndEscapes) {
  std::string text = R"({"result":{},"id":"a\"b\u00e9","jsonrpc":"2.0"})";
  TopLevelFields f;
  ASSERT_TRUE(scan_top_level(text, f));
  EXPECT_EQ(f.id.of(text), R"("a\"b\u00e9")");
  EXPECT_EQ(f.result.of(text), "{}");
}

TEST(JsonRpcScan, RefusesWhatTheSlowPathMustJudge) {
  const std::vector<std::string> bad_texts = {
      "",
      "[]",
      "{",
      "{}x",
      R"({"id":1,"id":2})",
      R"({"i\u0064":1})",
      R"({"a":01})",
      R"({"a":"tab	inside"})",
      R"({"a":tru})",
      R"({"a":[1,]})",
      R"({"a":1,})",
      R"({"a":"\x"})",
      R"({"a":1 "b":2})",
      R"({'a':1})",
      "{\"a\":1}\n{}",
      std::string(200, '[') + std::string(200, ']'),
      "{\"a\":\"\x9e\"}",
      "{\"id\":-1.5e7777}",
      R"({"a":"\udddd"})",
      R"({"a":"\ud800x"})",
      "{\"a\":\"\xed\xa0\x80\"}",
  };
  for (const std::string& bad : bad_texts) {
    TopLevelFields f;
    EXPECT_FALSE(scan_top_level(bad, f)) << bad;
  }
}

TEST(JsonRpcScan, AgreesWithTheFullParserOnRandomMutations) {
  // Whatever the scan accepts, nlohmann accepts too, with the same values.
  const std::string base =
      R"({"jsonrpc":"2.0","id":"x-1","method":"m","params":{"a":[1,2.5e-3,true,null,"s\n"]},"result":{"k":{}}})";
  std::mt19937 rng(1234);
  const std::string alphabet = "{}[]\":,0123456789-+.eE truefalsnl\\u\"abcdi";
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = base;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    TopLevelFields f;
    if (!scan_top_level(text, f)) continue;
    ++accepted;
    auto doc = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << text;
    ASSERT_TRUE(doc.is_object()) << text;
    for (auto [key, span] : {std::pair{"id", f.id}, std::pair{"method", f.method},
                             std::pair{"params", f.params}, std::pair{"result", f.result}}) {
      ASSERT_EQ(span.found, doc.contains(key)) << text;
      if (span.found) {
        ASSERT_EQ(nlohmann::json::parse(span.of(text)), doc[key]) << text;
      }
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations left many valid messages to compare
}

}  // namespace
}  // namespace ccmcp::bridge
