// The stdio client against a small scripted server (python3): requests and
// answers out of order, a server request in the middle of a call, a
// notification, a server that dies, a time-out, and a clean close.
#include "mcp/stdio_session.h"

#include <signal.h>

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

namespace ccmcp::mcp {
namespace {

// Answers initialize, ping and tools/call: "echo" at once, "slow" after
// 0.3 s on its own thread (so answers cross), "sample" by asking the client
// for sampling first, "notify" with a progress notification before its
// answer, "die" by exiting, "hang" never.
constexpr const char* kServer = R"PY(
import json, sys, threading, time, os
lock = threading.Lock()
def send(m):
    with lock:
        sys.stdout.write(json.dumps(m) + "\n"); sys.stdout.flush()
waiting = {}
print("a log line on stdout, not JSON", flush=True)
for line in sys.stdin:
    m = json.loads(line)
    if "method" not in m:
        waiting.pop(m["id"])(m); continue
    if "id" not in m: continue
    i, method = m["id"], m["method"]
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": i, "result": {"protocolVersion": m["params"]["protocolVersion"],
              "capabilities": {}, "serverInfo": {"name": "py", "version": "0.1"}}})
    elif method == "ping":
        send({"jsonrpc": "2.0", "id": i, "result": {}})
    elif method == "tools/call":
        name = m["params"]["name"]
        if name == "echo":
            send({"jsonrpc": "2.0", "id": i, "result": {"text": m["params"]["arguments"]["text"]}})
        elif name == "slow":
            threading.Timer(0.3, send, [{"jsonrpc": "2.0", "id": i, "result": {"text": "slow"}}]).start()
        elif name == "sample":
            waiting["s1"] = lambda a, i=i: send({"jsonrpc": "2.0", "id": i, "result": {"text": a["result"]["text"]}})
            send({"jsonrpc": "2.0", "id": "s1", "method": "sampling/createMessage", "params": {}})
        elif name == "notify":
            send({"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progress": 1}})
            send({"jsonrpc": "2.0", "id": i, "result": {}})
        elif name == "die":
            os._exit(3)
        elif name == "hang":
            pass
)PY";

StdioOptions options() {
  StdioOptions options;
  options.argv = {"python3", "-u", "-c", kServer};
  options.grace = std::chrono::milliseconds(500);
  return options;
}

TEST(StdioSession, RequestsAnswersAndServerRequests) {
  StdioSession session(options());
  std::vector<std::string> notifications;
  session.on_notification(
      [&](const std::string& method, const Json&) { notifications.push_back(method); });
  session.on_request([](const std::string& method, const Json&) {
    return Json{{"text", "answered " + method}};
  });
  ServerInfo info = session.initialize(std::chrono::seconds(10));
  EXPECT_EQ(info.name, "py");
  EXPECT_EQ(info.protocol_version, "2025-11-25");
  session.ping(std::chrono::seconds(5));

  // A slow call and a quick one at once: the quick one is not held up.
  auto slow = std::async(std::launch::async, [&] {
    return session.call_tool("slow", Json::object(), std::chrono::seconds(5));
  });
  auto start = std::chrono::steady_clock::now();
  Json echo = session.call_tool("echo", {{"text", "hi ✓"}}, std::chrono::seconds(5));
  EXPECT_EQ(echo["text"], "hi ✓");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  EXPECT_EQ(slow.get()["text"], "slow");

  EXPECT_EQ(session.call_tool("sample", Json::object(), std::chrono::seconds(5))["text"],
            "answered sampling/createMessage");
  session.call_tool("notify", Json::object(), std::chrono::seconds(5));
  EXPECT_EQ(notifications, std::vector<std::string>{"notifications/progress"});
  pid_t pid = session.pid();
  session.close();
  EXPECT_NE(::kill(pid, 0), 0) << "the server still runs after close";
}

TEST(StdioSession, AServerThatDiesFailsWhatWaitsAndWhatComes) {
  StdioSession session(options());
  session.initialize(std::chrono::seconds(10));
  try {
    session.call_tool("die", Json::object(), std::chrono::seconds(5));
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              "\"python3\": the server ended (its stdout closed) before it answered (see its "
              "stderr)");
  }
  EXPECT_THROW(session.ping(std::chrono::seconds(1)), Error);
}

TEST(StdioSession, ATimeOutLeavesTheSessionUsable) {
  StdioSession session(options());
  session.initialize(std::chrono::seconds(10));
  EXPECT_THROW(session.call_tool("hang", Json::object(), std::chrono::milliseconds(200)), Error);
  session.ping(std::chrono::seconds(5));
}

TEST(StdioSession, AMissingCommandIsAClearError) {
  StdioOptions bad;
  bad.argv = {"cc-mcp-no-such-command"};
  try {
    StdioSession session(bad);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
    EXPECT_EQ(error.message(),
              "command \"cc-mcp-no-such-command\": not found on PATH (install it, or give its "
              "full path)");
  }
}

}  // namespace
}  // namespace ccmcp::mcp
