// A test driver for the MCP client library against real servers
// (server-everything from the npm fixtures, directly or behind a bridge).
//
//   mcp_check http URL             every scenario over Streamable HTTP
//   mcp_check stdio -- CMD ARGS    every scenario over stdio
//   mcp_check probe URL [MS]       mcp::probe; prints its result as JSON
//
// Prints one JSON line per scenario ({"scenario": ..., "ok": ...}) and
// exits 0 when all passed, 1 otherwise, 2 on a usage error.
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/http_session.h"
#include "mcp/stdio_session.h"

namespace {

using ccmcp::mcp::Json;
using namespace std::chrono_literals;

struct Observed {
  std::mutex mutex;
  int progress = 0;
  int sampling = 0;
  int elicitation = 0;
  int roots = 0;
};

const std::string kRoot = "file:///cc-mcp-client-test/root";

void install_handlers(ccmcp::mcp::Session& session, Observed& seen) {
  session.on_notification([&](const std::string& method, const Json&) {
    std::lock_guard lock(seen.mutex);
    if (method == "notifications/progress") ++seen.progress;
  });
  session.on_request([&](const std::string& method, const Json& params) -> Json {
    std::lock_guard lock(seen.mutex);
    if (method == "sampling/createMessage") {
      ++seen.sampling;
      std::string prompt = params["messages"][0]["content"]["text"];
      return {{"role", "assistant"},
              {"model", "mcp-check"},
              {"content", {{"type", "text"}, {"text", "SAMPLED for " + prompt}}}};
    }
    if (method == "elicitation/create") {
      ++seen.elicitation;
      return {{"action", "accept"}, {"content", {{"name", "Client Check"}, {"check", true}}}};
    }
    if (method == "roots/list") {
      ++seen.roots;
      return {{"roots", {{{"uri", kRoot}, {"name", "check"}}}}};
    }
    if (method == "ping") return Json::object();
    throw ccmcp::mcp::RpcError("mcp_check", method, ccmcp::mcp::kMethodNotFound, "no " + method);
  });
}

std::string text_of(const Json& result) {
  std::string text;
  for (const auto& item : result.value("content", Json::array()))
    if (item.value("type", "") == "text") text += item.value("text", "");
  return text;
}

void check(bool condition, const std::string& what) {
  if (!condition) throw std::runtime_error(what);
}

int failures = 0;

void scenario(const std::string& name, const std::function<Json()>& body) {
  Json line = {{"scenario", name}};
  auto start = std::chrono::steady_clock::now();
  try {
    line["detail"] = body();
    line["ok"] = true;
  } catch (const std::exception& error) {
    line["ok"] = false;
    line["error"] = error.what();
    ++failures;
  }
  line["ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

void run_scenarios(ccmcp::mcp::Session& session, Observed& seen) {
  ccmcp::mcp::ClientInfo client{"mcp-check",
                                "1",
                                {{"sampling", Json::object()},
                                 {"elicitation", {{"form", Json::object()}}},
                                 {"roots", {{"listChanged", true}}}}};
  scenario("initialize", [&] {
    auto info = session.initialize(30s, client);
    check(!info.name.empty(), "no server name");
    check(info.protocol_version == "2025-11-25", "protocol " + info.protocol_version);
    return Json{{"server", info.name}, {"version", info.version}};
  });
  if (auto* http = dynamic_cast<ccmcp::mcp::HttpSession*>(&session)) http->listen();
  scenario("tools", [&] {
    std::vector<std::string> names;
    for (const auto& tool : session.list_tools(30s)) names.push_back(tool["name"]);
    for (const char* want : {"echo", "trigger-long-running-operation", "trigger-sampling-request",
                             "trigger-elicitation-request", "get-roots-list"})
      check(std::find(names.begin(), names.end(), want) != names.end(),
            std::string("no tool ") + want);
    return Json{{"count", names.size()}};
  });
  scenario("echo", [&] {
    std::string message = "hello ✓ \"quoted\" \\ from mcp_check";
    std::string text = text_of(session.call_tool("echo", {{"message", message}}, 30s));
    check(text == "Echo: " + message, "echo gave " + text);
    session.ping(10s);
    return Json{};
  });
  scenario("progress", [&] {
    Json result = session.request("tools/call",
                                  {{"name", "trigger-long-running-operation"},
                                   {"arguments", {{"duration", 1}, {"steps", 3}}},
                                   {"_meta", {{"progressToken", "check-progress"}}}},
                                  30s);
    check(text_of(result).find("ompleted") != std::string::npos, "result " + text_of(result));
    std::lock_guard lock(seen.mutex);
    check(seen.progress >= 2, "progress notifications: " + std::to_string(seen.progress));
    return Json{{"notifications", seen.progress}};
  });
  scenario("sampling", [&] {
    std::string text = text_of(session.call_tool(
        "trigger-sampling-request", {{"prompt", "check prompt"}, {"maxTokens", 20}}, 30s));
    check(text.find("SAMPLED for") != std::string::npos, "result " + text);
    return Json{{"requests", seen.sampling}};
  });
  scenario("elicitation", [&] {
    std::string text = text_of(session.call_tool("trigger-elicitation-request", {}, 30s));
    check(text.find("Client Check") != std::string::npos, "result " + text);
    return Json{{"requests", seen.elicitation}};
  });
  scenario("roots", [&] {
    std::string text;
    for (int attempt = 0; attempt < 20; ++attempt) {
      text = text_of(session.call_tool("get-roots-list", {}, 30s));
      if (text.find(kRoot) != std::string::npos) break;
      std::this_thread::sleep_for(200ms);
    }
    check(text.find(kRoot) != std::string::npos, "roots: " + text);
    return Json{{"requests", seen.roots}};
  });
  scenario("error", [&] {
    try {
      session.call_tool("no-such-tool", {}, 30s);
    } catch (const ccmcp::mcp::RpcError& error) {
      return Json{{"code", error.code()}, {"message", error.rpc_message()}};
    }
    // Newer SDKs answer an unknown tool with a result marked isError.
    return Json{{"isError", true}};
  });
  scenario("close", [&] {
    session.close();
    return Json{};
  });
}

int usage() {
  std::fprintf(stderr, "usage: mcp_check http URL | stdio -- CMD ARGS... | probe URL [MS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string mode = argv[1];
  try {
    if (mode == "http") {
      Observed seen;
      ccmcp::mcp::HttpSession session(argv[2]);
      install_handlers(session, seen);
      run_scenarios(session, seen);
    } else if (mode == "stdio" && std::strcmp(argv[2], "--") == 0 && argc > 3) {
      Observed seen;
      ccmcp::mcp::StdioOptions options;
      options.argv.assign(argv + 3, argv + argc);
      options.err = ccmcp::SpawnOptions::Stream::null;
      ccmcp::mcp::StdioSession session(options);
      install_handlers(session, seen);
      run_scenarios(session, seen);
    } else if (mode == "probe") {
      ccmcp::mcp::ProbeOptions options;
      if (argc > 3) options.timeout = std::chrono::milliseconds(std::stol(argv[3]));
      auto result = ccmcp::mcp::probe(argv[2], options);
      std::printf("%s\n", Json({{"server", result.server.name},
                                {"protocol", result.server.protocol_version},
                                {"tools", result.tools},
                                {"attempts", result.attempts},
                                {"readyMs", result.ready.count()},
                                {"initializeMs", result.initialize.count()},
                                {"toolsListMs", result.tools_list.count()},
                                {"pingMs", result.ping.count()},
                                {"totalMs", result.total.count()}})
                              .dump()
                              .c_str());
    } else {
      return usage();
    }
  } catch (const std::exception& error) {
    std::printf("%s\n", Json({{"ok", false}, {"error", error.what()}}).dump().c_str());
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
