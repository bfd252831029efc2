// A small stdio MCP server whose misbehaviour the tests choose. Tools:
//   echo {text}          -> the text back (with N progress notifications
//                           first when the request has a progressToken and
//                           --progress N is given)
//   big {bytes}          -> a text of that many 'x'
//   ask {question}       -> asks the client (sampling/createMessage) and
//                           returns what it answered
//   whoami               -> this process's pid
//   flood {count, bytes} -> count log notifications of that size, then "done"
// Flags: --garbage (a non-JSON line before every answer), --silent (never
// answers tools/call), --mute (reads stdin but never answers anything, not
// even initialize), --exit-on-call CODE, --exit-at-start CODE, --progress N,
// --log (a notifications/message before each answer), --describe-echo TEXT
// (the echo tool's description in tools/list: a test can serve a poisoned
// one), --print-env VAR (writes VAR=value to stderr at start). getenv {name}
// (not listed) -> that variable of its environment.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

using Json = nlohmann::json;

namespace {

void send(const Json& message) {
  std::cout << message.dump() << '\n' << std::flush;
}

Json text_result(const std::string& text) {
  return {{"content", Json::array({{{"type", "text"}, {"text", text}}})}};
}

}  // namespace

int main(int argc, char** argv) {
  bool garbage = false, silent = false, mute = false, log = false;
  int exit_on_call = -1, progress = 0;
  std::string echo_description = "the echo tool";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (arg == "--garbage")
      garbage = true;
    else if (arg == "--silent")
      silent = true;
    else if (arg == "--mute")
      mute = true;
    else if (arg == "--describe-echo" && i + 1 < argc)
      echo_description = argv[++i];
    else if (arg == "--log")
      log = true;
    else if (arg == "--exit-on-call")
      exit_on_call = next();
    else if (arg == "--exit-at-start")
      return next();
    else if (arg == "--progress")
      progress = next();
    else if (arg == "--print-env" && i + 1 < argc) {
      // A server that logs its credentials: the bridge must mask them.
      const char* value = std::getenv(argv[++i]);
      std::fprintf(stderr, "fake server: %s=%s\n", argv[i], value ? value : "(unset)");
      std::fflush(stderr);
    }
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  int next_request = 1;
  while (std::getline(std::cin, line)) {
    // Still reading, so the bridge's writes never block or fail: a server
    // that is alive and says nothing.
    if (mute) continue;
    Json message = Json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.contains("method") || !message.contains("id"))
      continue;  // notifications and answers need nothing from us
    const std::string method = message["method"];
    const Json id = message["id"];
    if (garbage) std::cout << "this line is not JSON-RPC\n" << std::flush;
    if (log)
      send({{"jsonrpc", "2.0"},
            {"method", "notifications/message"},
            {"params", {{"level", "info"}, {"data", "handling " + method}}}});
    if (method == "initialize") {
      send({{"jsonrpc", "2.0"},
            {"id", id},
            {"result",
             {{"protocolVersion", message["params"].value("protocolVersion", "2025-06-18")},
              {"capabilities", {{"tools", Json::object()}, {"logging", Json::object()}}},
              {"serverInfo", {{"name", "fake-mcp-server"}, {"version", "1.0.0"}}}}}});
    } else if (method == "ping") {
      send({{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}});
    } else if (method == "tools/list") {
      Json tools = Json::array();
      for (const char* name : {"echo", "big", "ask", "whoami", "flood"})
        tools.push_back(
            {{"name", name},
             {"description", name == std::string("echo") ? echo_description
                                                         : std::string("the ") + name + " tool"},
             {"inputSchema", {{"type", "object"}}}});
      send({{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"tools", tools}}}});
    } else if (method == "tools/call") {
      if (exit_on_call >= 0) return exit_on_call;
      if (silent) continue;
      const Json& params = message["params"];
      std::string name = params.value("name", "");
      Json args = params.value("arguments", Json::object());
      if (params.contains("_meta") && params["_meta"].contains("progressToken"))
        for (int p = 1; p <= progress; ++p)
          send({{"jsonrpc", "2.0"},
                {"method", "notifications/progress"},
                {"params",
                 {{"progressToken", params["_meta"]["progressToken"]},
                  {"progress", p},
                  {"total", progress}}}});
      Json result;
      if (name == "echo") {
        result = text_result(args.value("text", ""));
      } else if (name == "big") {
        result = text_result(std::string(args.value("bytes", 0), 'x'));
      } else if (name == "flood") {
        std::string data(args.value("bytes", 1000), 'f');
        for (int n = args.value("count", 1); n > 0; --n)
          send({{"jsonrpc", "2.0"},
                {"method", "notifications/message"},
                {"params", {{"level", "info"}, {"data", data}}}});
        result = text_result("done");
      } else if (name == "getenv") {  // not listed: secrets tests ask what it was given
        const char* value = std::getenv(args.value("name", "").c_str());
        result = text_result(value ? value : "(unset)");
      } else if (name == "whoami") {
        result = text_result(std::to_string(::getpid()));
      } else if (name == "ask") {
        int ask_id = next_request++;
        send({{"jsonrpc", "2.0"},
              {"id", "ask-" + std::to_string(ask_id)},
              {"method", "sampling/createMessage"},
              {"params",
               {{"messages",
                 Json::array(
                     {{{"role", "user"},
                       {"content", {{"type", "text"}, {"text", args.value("question", "?")}}}}})},
                {"maxTokens", 100}}}});
        std::string answer_line;
        std::string answer = "(no answer)";
        while (std::getline(std::cin, answer_line)) {
          Json answer_message = Json::parse(answer_line, nullptr, false);
          if (answer_message.is_discarded() || answer_message.contains("method")) continue;
          if (answer_message.value("id", Json()) != "ask-" + std::to_string(ask_id)) continue;
          answer = answer_message["result"]["content"].value("text", "(no text)");
          break;
        }
        result = text_result("the client said: " + answer);
      } else {
        send({{"jsonrpc", "2.0"},
              {"id", id},
              {"error", {{"code", -32602}, {"message", "unknown tool " + name}}}});
        continue;
      }
      send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
    } else {
      send({{"jsonrpc", "2.0"},
            {"id", id},
            {"error", {{"code", -32601}, {"message", "method not found: " + method}}}});
    }
  }
  return 0;
}
