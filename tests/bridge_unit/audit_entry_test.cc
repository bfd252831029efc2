#include "bridge/audit_entry.h"

#include <gtest/gtest.h>

#include <string>

#include "bridge/sha256.h"

namespace ccmcp::bridge {
namespace {

using Json = nlohmann::ordered_json;

TEST(Sha256Test, MatchesTheStandardsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // A million 'a's, fed in pieces that straddle the 64-byte blocks.
  Sha256 digest;
  std::string piece(1000, 'a');
  for (int i = 0; i < 1000; ++i) digest.update(piece);
  EXPECT_EQ(digest.hex_digest(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(AuditEntryTest, AToolCallIsItsNameAndItsArgumentsSizeAndDigest) {
  Json params = Json::parse(R"({"name":"read_file","arguments":{"path":"/secret/plan.txt"}})");
  auto call = audit_call_of("tools/call", &params);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->name, "read_file");
  std::string compact = R"({"path":"/secret/plan.txt"})";
  EXPECT_EQ(call->args_bytes, compact.size());
  EXPECT_EQ(call->args_sha256, sha256_hex(compact));
  std::string line = audit_line(*call, "sess", 12, AuditOutcome::ok());
  EXPECT_EQ(line.find("secret"), std::string::npos) << line;
  Json parsed = Json::parse(line);
  EXPECT_EQ(parsed["method"], "tools/call");
  EXPECT_EQ(parsed["session"], "sess");
  EXPECT_EQ(parsed["durationMs"], 12);
  EXPECT_EQ(parsed["status"], "ok");
  EXPECT_FALSE(parsed.contains("error"));
}

TEST(AuditEntryTest, TheRawFastPathAgreesWithTheParsedOne) {
  std::string params_text = R"({ "name" : "echo", "arguments" : { "text" : "hi" } })";
  auto raw = audit_call_of_raw("\"tools/call\"", params_text);
  Json params = Json::parse(params_text);
  auto parsed = audit_call_of("tools/call", &params);
  ASSERT_TRUE(raw && parsed);
  EXPECT_EQ(raw->args_sha256, parsed->args_sha256);
  EXPECT_EQ(raw->args_bytes, std::string(R"({"text":"hi"})").size());
  // An escaped method is the same method to the server: audited all the same.
  EXPECT_TRUE(audit_call_of_raw("\"tools\\/call\"", params_text));
  EXPECT_FALSE(audit_call_of_raw("\"tools/list\"", ""));
}

TEST(AuditEntryTest, ResourcesAndPromptsAndNothingElse) {
  Json read = {{"uri", "file:///etc/hosts"}};
  auto resource = audit_call_of("resources/read", &read);
  ASSERT_TRUE(resource);
  EXPECT_EQ(resource->name, "file:///etc/hosts");
  EXPECT_EQ(resource->args_bytes, 0u);
  EXPECT_TRUE(resource->args_sha256.empty());
  Json get = {{"name", "summary"}, {"arguments", {{"topic", "x"}}}};
  EXPECT_EQ(audit_call_of("prompts/get", &get)->name, "summary");
  EXPECT_FALSE(audit_call_of("tools/list", nullptr));
  EXPECT_FALSE(audit_call_of("initialize", nullptr));
  // A bad request is still a call.
  auto bad = audit_call_of("tools/call", nullptr);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->name, "");
}

TEST(AuditEntryTest, AnErrorKeepsItsCodeAndMessage) {
  auto call = audit_call_of("tools/call", nullptr);
  Json error = {{"code", -32602}, {"message", "unknown tool nope"}};
  Json line = Json::parse(audit_line(*call, "s", 0, AuditOutcome::of_error(error)));
  EXPECT_EQ(line["status"], "error");
  EXPECT_EQ(line["error"]["code"], -32602);
  EXPECT_EQ(line["error"]["message"], "unknown tool nope");
  Json timeout = Json::parse(audit_line(*call, "s", 0, {"timeout", -32001, "no answer"}));
  EXPECT_EQ(timeout["status"], "timeout");
}

TEST(AuditEntryTest, LongNamesAreCutAtACharacter) {
  std::string name = std::string(1023, 'n') + "\xc3\xa9" + std::string(10, 'n');
  Json params = {{"name", name}};
  auto call = audit_call_of("tools/call", &params);
  EXPECT_EQ(call->name, std::string(1023, 'n') + "...");
}

TEST(AuditEntryTest, TimeIsUtcToTheMillisecond) {
  std::chrono::system_clock::time_point when{std::chrono::milliseconds(1796724000123)};
  EXPECT_EQ(rfc3339_millis(when), "2026-12-08T10:00:00.123Z");
}

}  // namespace
}  // namespace ccmcp::bridge
