#include "testing/package_tests.h"

#include <cmath>
#include <regex>
#include <sstream>

#include "config/jsonc.h"
#include "util/error.h"
#include "util/fs.h"

namespace ccmcp::tester {

using Json = nlohmann::json;

namespace {

class Reader {
 public:
  Reader(const config::JsoncDocument& document, std::string display)
      : document_(document), display_(std::move(display)) {}

  [[noreturn]] void fail(const config::JsonPath& path, const std::string& problem,
                         const std::string& hint, bool at_key = false) const {
    config::TextPos pos = at_key ? document_.key_pos_of(path) : document_.pos_of(path);
    throw Error(ErrorKind::config,
                display_ + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column),
                (path.empty() ? std::string() : config::path_to_string(path) + ": ") + problem,
                hint);
  }

  std::string where(const config::JsonPath& path) const {
    return display_ + ":" + std::to_string(document_.pos_of(path).line);
  }

  std::chrono::milliseconds seconds(const config::Json& value, const config::JsonPath& path) const {
    if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > 3600)
      fail(path, "must be a number of seconds from 0 to 3600", "e.g. \"timeout\": 30");
    return std::chrono::milliseconds(std::llround(value.get<double>() * 1000));
  }

 private:
  const config::JsoncDocument& document_;
  std::string display_;
};

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

void check_known(const Reader& reader, const config::Json& object, const config::JsonPath& path,
                 std::initializer_list<const char*> known) {
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    for (const char* name : known) ok = ok || key == name;
    if (ok) continue;
    std::string list;
    for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
    reader.fail(config::child(path, key), "unknown key", "known here: " + list, true);
  }
}

CallExpectation read_expectation(const Reader& reader, const config::Json& value,
                                 const config::JsonPath& path) {
  CallExpectation expect;
  if (value.is_string()) {  // "expect": "hello" is a substring
    expect.contains = value.get<std::string>();
    return expect;
  }
  if (!value.is_object())
    reader.fail(path, "must be an object or a string",
                "e.g. \"expect\": {\"contains\": \"hello\"} or {\"isError\": true}");
  check_known(reader, value, path, {"contains", "regex", "isError"});
  if (value.contains("contains")) {
    if (!value["contains"].is_string())
      reader.fail(config::child(path, "contains"), "must be a string", "the text to find");
    expect.contains = value["contains"].get<std::string>();
  }
  if (value.contains("regex")) {
    if (!value["regex"].is_string())
      reader.fail(config::child(path, "regex"), "must be a string", "an ECMAScript regex");
    std::string pattern = value["regex"].get<std::string>();
    try {
      std::regex check(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      reader.fail(config::child(path, "regex"), quote(pattern) + " is not a valid regex",
                  "ECMAScript syntax, as in JavaScript");
    }
    expect.regex = pattern;
  }
  if (value.contains("isError")) {
    if (!value["isError"].is_boolean())
      reader.fail(config::child(path, "isError"), "must be true or false", "");
    expect.is_error = value["isError"].get<bool>();
  }
  return expect;
}

}  // namespace

PackageTests parse_package_tests(const std::string& text, const std::string& display) {
  auto parsed = config::parse_jsonc(text);
  if (auto* problem = std::get_if<config::ParseProblem>(&parsed))
    throw Error(ErrorKind::config,
                display + ":" + std::to_string(problem->pos.line) + ":" +
                    std::to_string(problem->pos.column),
                problem->problem, problem->hint.empty() ? "fix the JSON" : problem->hint);
  const auto& document = std::get<config::JsoncDocument>(parsed);
  Reader reader(document, display);
  config::JsonPath root;
  const config::Json* block = &document.root;
  if (!block->is_object()) reader.fail(root, "must be an object", "see cc-mcp test --help");
  // A package file: its "tests" block.
  if (block->contains("tests") && (*block)["tests"].is_object() && !block->contains("calls")) {
    root = {std::string("tests")};
    block = &(*block)["tests"];
  }
  check_known(reader, *block, root, {"connection", "timeout", "calls"});

  PackageTests tests;
  tests.source = display;
  if (block->contains("timeout"))
    tests.timeout = reader.seconds((*block)["timeout"], config::child(root, "timeout"));
  if (block->contains("connection")) {
    const auto& value = (*block)["connection"];
    auto path = config::child(root, "connection");
    if (value.is_string()) {
      tests.connection = split_words(value.get<std::string>());
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
          reader.fail(config::child(path, i), "must be a string", "a command is a list of words");
        tests.connection.push_back(value[i].get<std::string>());
      }
    } else {
      reader.fail(path, "must be a command: a string or a list of words",
                  "e.g. \"connection\": [\"node\", \"/app/check.js\"]");
    }
    if (tests.connection.empty()) reader.fail(path, "is an empty command", "name a program");
  }
  if (block->contains("calls")) {
    const auto& calls = (*block)["calls"];
    auto path = config::child(root, "calls");
    if (!calls.is_array()) reader.fail(path, "must be a list of calls", "e.g. \"calls\": [...]");
    for (size_t i = 0; i < calls.size(); ++i) {
      const auto& call = calls[i];
      auto at = config::child(path, i);
      if (!call.is_object())
        reader.fail(at, "must be an object", "{\"tool\": NAME, \"arguments\": {...}}");
      check_known(reader, call, at, {"tool", "arguments", "expect", "timeout"});
      ToolCallTest test;
      test.where = reader.where(at);
      if (!call.contains("tool") || !call["tool"].is_string() ||
          call["tool"].get<std::string>().empty())
        reader.fail(call.contains("tool") ? config::child(at, "tool") : at,
                    "needs \"tool\": the name of a tool", "e.g. \"tool\": \"echo\"");
      test.tool = call["tool"].get<std::string>();
      if (call.contains("arguments")) {
        if (!call["arguments"].is_object())
          reader.fail(config::child(at, "arguments"), "must be an object", "the tool's arguments");
        test.arguments = Json::parse(call["arguments"].dump());
      }
      if (call.contains("expect"))
        test.expect = read_expectation(reader, call["expect"], config::child(at, "expect"));
      if (call.contains("timeout"))
        test.timeout = reader.seconds(call["timeout"], config::child(at, "timeout"));
      tests.calls.push_back(std::move(test));
    }
  }
  return tests;
}

std::string answer_text(const Json& result) {
  std::string text;
  if (result.contains("content") && result["content"].is_array())
    for (const auto& item : result["content"]) {
      if (!text.empty()) text += "\n";
      if (item.is_object() && item.value("type", "") == "text" && item.contains("text") &&
          item["text"].is_string())
        text += item["text"].get<std::string>();
      else
        text += item.dump();
    }
  if (result.contains("structuredContent"))
    text += (text.empty() ? "" : "\n") + result["structuredContent"].dump();
  return text;
}

std::optional<std::string> check_call_answer(const Json& result,
                                             const std::optional<std::string>& rpc_error,
                                             const CallExpectation& expect) {
  bool failed = rpc_error.has_value() || (result.is_object() && result.value("isError", false));
  std::string text = rpc_error ? *rpc_error : answer_text(result);
  auto shortened = [](std::string s) {
    if (s.size() > 200) s = s.substr(0, 200) + "…";
    return quote(s);
  };
  if (failed && !expect.is_error) return "the call failed: " + shortened(text);
  if (!failed && expect.is_error) return "the call succeeded, but an error was expected";
  if (expect.contains && text.find(*expect.contains) == std::string::npos)
    return "the answer lacks " + quote(*expect.contains) + ": " + shortened(text);
  if (expect.regex && !std::regex_search(text, std::regex(*expect.regex, std::regex::ECMAScript)))
    return "the answer does not match /" + *expect.regex + "/: " + shortened(text);
  return std::nullopt;
}

std::optional<PackageTests> read_package_tests_file(const std::filesystem::path& path,
                                                    bool must_exist) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (must_exist)
      throw Error(ErrorKind::not_found, quote(path.string()), "no such test file",
                  "check the path given to --tests");
    return std::nullopt;
  }
  return parse_package_tests(read_text_file(path, path.string(), 4u << 20), path.string());
}

}  // namespace ccmcp::tester
