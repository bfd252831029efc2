// A package's own tests (the seed's `tests` block), from a test file:
//
//   {
//     "connection": ["node", "/app/check.js"],  // or "node /app/check.js": a command run
//                                              // inside the test container (no shell),
//                                              // with MCP_URL set; exit 0 passes
//     "timeout": 30,                           // seconds: the command's, and each call's default
//     "calls": [
//       {"tool": "read_text_file", "arguments": {"path": "/workspace/a.txt"},
//        "expect": {"contains": "hello"},      // and/or "regex": "^hel+o", "isError": true
//        "timeout": 10}
//     ]
//   }
//
// A package file whose "tests" holds that block reads the same. Where the
// file is: beside mcp.json as NAME.tests.json, else in the package
// (cc-mcp.tests.json in the image's application folder or the npm
// package's own folder).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::tester {

struct CallExpectation {
  std::optional<std::string> contains;  // a substring of the answer's text
  std::optional<std::string> regex;     // ECMAScript, searched in the answer's text
  bool is_error = false;                // the call must fail (isError, or a JSON-RPC error)
};

struct ToolCallTest {
  std::string tool;
  nlohmann::json arguments = nlohmann::json::object();
  CallExpectation expect;
  std::chrono::milliseconds timeout{0};  // 0: the file's timeout
  std::string where;                     // "FILE:LINE" of the call, for messages
};

struct PackageTests {
  std::vector<std::string> connection;  // argv; empty: no command
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::vector<ToolCallTest> calls;
  std::string source;  // the file they came from

  bool empty() const { return connection.empty() && calls.empty(); }
};

// Parses a test file (JSON with comments). Throws Error (kind config)
// naming FILE:LINE:COLUMN and the key for anything malformed.
PackageTests parse_package_tests(const std::string& text, const std::string& display);

// The test file at `path`; nullopt when there is none, unless `must_exist`
// (then Error not_found).
std::optional<PackageTests> read_package_tests_file(const std::filesystem::path& path,
                                                    bool must_exist);

// The text of a tools/call result: its text contents joined by newlines
// (other content types as their JSON), then structuredContent's JSON.
std::string answer_text(const nlohmann::json& result);

// nullopt when the answer meets the expectation, else why not. `rpc_error`
// is set when the call got a JSON-RPC error instead of a result.
std::optional<std::string> check_call_answer(const nlohmann::json& result,
                                             const std::optional<std::string>& rpc_error,
                                             const CallExpectation& expect);

}  // namespace ccmcp::tester
