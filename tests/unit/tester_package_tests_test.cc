#include "testing/package_tests.h"

#include <gtest/gtest.h>

#include "testing/test_container.h"
#include "util/error.h"

namespace ccmcp::tester {
namespace {

using Json = nlohmann::json;

TEST(PackageTests, ParsesTheSeedsBlock) {
  auto tests = parse_package_tests(R"({
    // comments are fine
    "connection": "node /app/check.js --quick",
    "timeout": 12,
    "calls": [
      {"tool": "echo", "arguments": {"text": "hi"}, "expect": {"contains": "hi", "regex": "^h"}},
      {"tool": "fail", "expect": {"isError": true}, "timeout": 2.5},
      {"tool": "plain", "expect": "substring"}
    ]})",
                                   "x.tests.json");
  EXPECT_EQ(tests.connection, (std::vector<std::string>{"node", "/app/check.js", "--quick"}));
  EXPECT_EQ(tests.timeout, std::chrono::seconds(12));
  ASSERT_EQ(tests.calls.size(), 3u);
  EXPECT_EQ(tests.calls[0].tool, "echo");
  EXPECT_EQ(tests.calls[0].arguments, Json({{"text", "hi"}}));
  EXPECT_EQ(tests.calls[0].expect.contains, "hi");
  EXPECT_EQ(tests.calls[0].expect.regex, "^h");
  EXPECT_EQ(tests.calls[0].where, "x.tests.json:6");
  EXPECT_TRUE(tests.calls[1].expect.is_error);
  EXPECT_EQ(tests.calls[1].timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(tests.calls[2].expect.contains, "substring");
  EXPECT_EQ(tests.source, "x.tests.json");
}

TEST(PackageTests, ReadsAPackageFilesTestsBlock) {
  auto tests = parse_package_tests(
      R"({"name": "fs", "version": "1.0.0", "tests": {"connection": ["true"], "timeout": 5}})",
      "package.json");
  EXPECT_EQ(tests.connection, std::vector<std::string>{"true"});
  EXPECT_EQ(tests.timeout, std::chrono::seconds(5));
}

TEST(PackageTests, BadFilesNameLineAndKey) {
  struct Row {
    std::string text;
    std::string message;  // a prefix of Error::message()
  };
  const std::vector<Row> rows = {
      {"{\n  \"calls\": [\n    {\"tool\": \"echo\", \"expect\": {\"contain\": \"x\"}}\n  ]\n}",
       "t.json:3:33: calls[0].expect.contain: unknown key (known here: contains, regex, isError)"},
      {"{\"calls\": [{\"arguments\": {}}]}", "t.json:1:12: calls[0]: needs \"tool\""},
      {"{\"timeout\": -1}", "t.json:1:13: timeout: must be a number of seconds"},
      {"{\"connection\": 7}", "t.json:1:16: connection: must be a command"},
      {"{\"connection\": \"  \"}", "t.json:1:16: connection: is an empty command"},
      {"{\"calls\": [{\"tool\": \"x\", \"expect\": {\"regex\": \"(\"}}]}",
       "t.json:1:46: calls[0].expect.regex: \"(\" is not a valid regex"},
      {"{\"calls\": 3", "t.json:1:"},
      {"[]", "t.json:1:1: must be an object"},
      {"{\"call\": []}", "t.json:1:2: call: unknown key"},
  };
  for (const auto& row : rows) {
    try {
      parse_package_tests(row.text, "t.json");
      ADD_FAILURE() << "no error for " << row.text;
    } catch (const Error& error) {
      EXPECT_EQ(error.message().rfind(row.message, 0), 0u)
          << row.text << "\n  got: " << error.message();
      EXPECT_EQ(error.kind(), ErrorKind::config);
    }
  }
}

TEST(PackageTests, Answers) {
  Json ok = Json::parse(R"({"content": [{"type": "text", "text": "hello world"},
                                         {"type": "image", "data": "AA==", "mimeType": "image/png"}]})");
  EXPECT_EQ(answer_text(ok).rfind("hello world\n{", 0), 0u);
  CallExpectation expect;
  expect.contains = "world";
  EXPECT_EQ(check_call_answer(ok, std::nullopt, expect), std::nullopt);
  expect.regex = "^hel+o";
  EXPECT_EQ(check_call_answer(ok, std::nullopt, expect), std::nullopt);
  expect.regex = "^world";
  EXPECT_NE(check_call_answer(ok, std::nullopt, expect), std::nullopt);
  expect = {};
  expect.contains = "bye";
  EXPECT_EQ(check_call_answer(ok, std::nullopt, expect)->rfind("the answer lacks \"bye\"", 0), 0u);

  Json failed =
      Json::parse(R"({"isError": true, "content": [{"type": "text", "text": "denied"}]})");
  EXPECT_EQ(*check_call_answer(failed, std::nullopt, {}), "the call failed: \"denied\"");
  EXPECT_NE(check_call_answer(Json::object(), std::string("Unknown tool"), {}), std::nullopt);
  CallExpectation error;
  error.is_error = true;
  EXPECT_EQ(check_call_answer(failed, std::nullopt, error), std::nullopt);
  EXPECT_EQ(check_call_answer(Json::object(), std::string("Unknown tool"), error), std::nullopt);
  EXPECT_EQ(*check_call_answer(ok, std::nullopt, error),
            "the call succeeded, but an error was expected");
  Json structured = Json::parse(R"({"content": [], "structuredContent": {"n": 42}})");
  expect = {};
  expect.contains = "\"n\":42";
  EXPECT_EQ(check_call_answer(structured, std::nullopt, expect), std::nullopt);
}

TEST(TestContainer, SocketEntrypoint) {
  std::vector<std::string> image = {"/usr/local/bin/cc-mcp-bridge",
                                    "--host",
                                    "0.0.0.0",
                                    "--port",
                                    "3000",
                                    "--",
                                    "node",
                                    "/app/index.js"};
  EXPECT_EQ(socket_entrypoint(image, "x"),
            (std::vector<std::string>{"/usr/local/bin/cc-mcp-bridge", "--host", "0.0.0.0", "--port",
                                      "3000", "--unix", "/run/cc-mcp/bridge.sock", "--", "node",
                                      "/app/index.js"}));
  EXPECT_THROW(socket_entrypoint({"node", "/app/index.js"}, "x"), Error);
  EXPECT_THROW(socket_entrypoint({}, "x"), Error);
  EXPECT_THROW(socket_entrypoint({"/usr/local/bin/cc-mcp-bridge", "--port", "3000"}, "x"), Error);
}

TEST(TestContainer, Names) {
  std::string name = test_container_name("filesystem");
  EXPECT_EQ(name.rfind("mcp-test-filesystem-", 0), 0u);
  EXPECT_EQ(name.size(), std::string("mcp-test-filesystem-").size() + 8);
  EXPECT_NE(test_container_name("filesystem"), name);  // random
  EXPECT_EQ(test_container_name("@scope/pkg:1").rfind("mcp-test-scope-pkg-1-", 0), 0u);
  EXPECT_EQ(test_container_name("").rfind("mcp-test-image-", 0), 0u);
}

}  // namespace
}  // namespace ccmcp::tester
