// The Streamable HTTP client against a fake server (FakeHttp): JSON and SSE
// answers (split at every byte), server requests on the way, errors, the
// end of a session, time-outs, and probe's waiting.
#include "mcp/http_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "fake_http.h"

namespace ccmcp::mcp {
namespace {

using testing::FakeHttp;

const std::string kUrl = "http://127.0.0.1:20555/mcp";

net::HttpResponse json_answer(const Json& body, int status = 200) {
  net::HttpResponse response;
  response.status = status;
  response.headers = {{"content-type", "application/json"}};
  response.body = body.dump();
  return response;
}

net::HttpResponse accepted() {
  net::HttpResponse response;
  response.status = 202;
  return response;
}

std::string header_of(const net::HttpRequest& request, const std::string& name) {
  for (const auto& line : request.headers)
    if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
  return {};
}

Json initialize_result() {
  return {{"protocolVersion", "2025-11-25"},
          {"capabilities", {{"tools", Json::object()}}},
          {"serverInfo", {{"name", "fake"}, {"version", "1.2.3"}}},
          {"instructions", "be nice"}};
}

// A fake MCP server: initialize opens session "s-1"; other requests go to
// `answer` (method, message) -> HTTP response.
struct FakeServer {
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  std::vector<Json> posted;  // every message POSTed, in order
  std::function<net::HttpResponse(const std::string&, const Json&)> answer;

  FakeServer() {
    http->route("POST /mcp", [this](const net::HttpRequest& request) {
      Json message = Json::parse(request.body);
      posted.push_back(message);
      if (message.value("method", "") == "initialize") {
        auto response = json_answer(make_result(message["id"], initialize_result()));
        response.headers.push_back({"mcp-session-id", "s-1"});
        return response;
      }
      if (!message.contains("id") || !message.contains("method")) return accepted();
      return answer(message["method"].get<std::string>(), message);
    });
    http->route("DELETE /mcp", 200, "");
  }
};

TEST(HttpSession, InitializesAndSendsTheSessionHeadersAfterwards) {
  FakeServer server;
  server.answer = [](const std::string&, const Json& message) {
    return json_answer(make_result(message["id"], {{"tools", {{{"name", "echo"}}}}}));
  };
  HttpSession session(kUrl, server.http);
  ServerInfo info = session.initialize(std::chrono::seconds(5));
  EXPECT_EQ(info.name, "fake");
  EXPECT_EQ(info.version, "1.2.3");
  EXPECT_EQ(info.protocol_version, "2025-11-25");
  EXPECT_EQ(info.instructions, "be nice");
  EXPECT_EQ(session.session_id(), "s-1");
  auto tools = session.list_tools(std::chrono::seconds(5));
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0]["name"], "echo");
  session.close();

  auto sent = server.http->sent();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(server.posted[0]["params"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(server.posted[0]["params"]["clientInfo"]["name"], "cc-mcp");
  EXPECT_EQ(header_of(sent[0], "Mcp-Session-Id"), "");
  EXPECT_EQ(header_of(sent[0], "Accept"), "application/json, text/event-stream");
  EXPECT_EQ(server.posted[1]["method"], "notifications/initialized");
  for (size_t i = 1; i < sent.size(); ++i) {
    EXPECT_EQ(header_of(sent[i], "Mcp-Session-Id"), "s-1") << i;
    EXPECT_EQ(header_of(sent[i], "MCP-Protocol-Version"), "2025-11-25") << i;
  }
  EXPECT_EQ(sent[3].method, "DELETE");
}

TEST(HttpSession, ReadsAnSseAnswerSplitAtEveryByteAndAnswersServerRequests) {
  for (size_t chunk : {1u, 2u, 3u, 5u, 64u, 100000u}) {
    FakeServer server;
    server.http->chunk_size(chunk);
    server.answer = [](const std::string&, const Json& message) {
      Json progress = make_notification("notifications/progress",
                                        {{"progressToken", "t"}, {"progress", 1}, {"total", 2}});
      Json sampling = make_request(900, "sampling/createMessage", {{"maxTokens", 5}});
      Json other = make_result(12345, {{"not", "ours"}});
      Json done = make_result(message["id"], {{"content", {{{"type", "text"}, {"text", "ok"}}}}});
      net::HttpResponse response;
      response.status = 200;
      response.headers = {{"content-type", "text/event-stream"}};
      response.body = "id: 1\ndata:\n\n: keep-alive\n\nevent: message\ndata: " + progress.dump() +
                      "\r\n\r\ndata: " + sampling.dump() + "\n\ndata: " + other.dump() +
                      "\n\ndata: " + done.dump() + "\n\ndata: {\"after\": \"the answer\"}\n\n";
      return response;
    };
    HttpSession session(kUrl, server.http);
    std::vector<std::string> notifications;
    std::vector<std::string> requests;
    session.on_notification(
        [&](const std::string& method, const Json&) { notifications.push_back(method); });
    session.on_request([&](const std::string& method, const Json& params) {
      requests.push_back(method);
      EXPECT_EQ(params["maxTokens"], 5);
      return Json{{"role", "assistant"}};
    });
    session.initialize(std::chrono::seconds(5));
    Json result = session.call_tool("slow", Json::object(), std::chrono::seconds(5));
    EXPECT_EQ(result["content"][0]["text"], "ok") << "chunk " << chunk;
    EXPECT_EQ(notifications, std::vector<std::string>{"notifications/progress"}) << chunk;
    EXPECT_EQ(requests, std::vector<std::string>{"sampling/createMessage"}) << chunk;
    // The answer to the sampling request went back as its own POST.
    bool answered = false;
    for (const auto& message : server.posted)
      if (is_response(message) && message["id"] == 900 && message["result"]["role"] == "assistant")
        answered = true;
    EXPECT_TRUE(answered) << chunk;
  }
}

TEST(HttpSession, UnhandledServerRequestsGetMethodNotFoundButPingIsAnswered) {
  FakeServer server;
  server.answer = [](const std::string&, const Json& message) {
    net::HttpResponse response;
    response.status = 200;
    response.body = "data: " + make_request("p", "ping", nullptr).dump() +
                    "\n\ndata: " + make_request("r", "roots/list", nullptr).dump() +
                    "\n\ndata: " + make_result(message["id"], Json::object()).dump() + "\n\n";
    return response;
  };
  HttpSession session(kUrl, server.http);
  session.initialize(std::chrono::seconds(5));
  session.ping(std::chrono::seconds(5));
  std::map<std::string, Json> answers;
  for (const auto& message : server.posted)
    if (is_response(message)) answers[message["id"].get<std::string>()] = message;
  EXPECT_EQ(answers["p"]["result"], Json::object());
  EXPECT_EQ(answers["r"]["error"]["code"], kMethodNotFound);
}

TEST(HttpSession, AJsonRpcErrorBecomesRpcError) {
  FakeServer server;
  server.answer = [](const std::string&, const Json& message) {
    return json_answer(make_error(message["id"], -32602, "unknown tool: nope", {{"tool", "nope"}}));
  };
  HttpSession session(kUrl, server.http);
  session.initialize(std::chrono::seconds(5));
  try {
    session.call_tool("nope", Json::object(), std::chrono::seconds(5));
    FAIL() << "no error";
  } catch (const RpcError& error) {
    EXPECT_EQ(error.code(), -32602);
    EXPECT_EQ(error.rpc_message(), "unknown tool: nope");
    EXPECT_EQ(error.data()["tool"], "nope");
    EXPECT_EQ(error.message(),
              kUrl + ": tools/call failed: unknown tool: nope (JSON-RPC error -32602)");
  }
}

TEST(HttpSession, A404AfterInitializeIsTheEndOfTheSession) {
  FakeServer server;
  server.answer = [](const std::string&, const Json&) {
    return json_answer(make_error(nullptr, -32001, "session not found"), 404);
  };
  HttpSession session(kUrl, server.http);
  session.initialize(std::chrono::seconds(5));
  try {
    session.ping(std::chrono::seconds(5));
    FAIL() << "no error";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.failure(), TransportFailure::session_expired);
    EXPECT_EQ(error.status(), 404);
    EXPECT_NE(error.message().find("the session ended (HTTP 404: session not found)"),
              std::string::npos)
        << error.message();
  }
}

TEST(HttpSession, OtherStatusesAndNetworkFailures) {
  {
    FakeServer server;
    server.answer = [](const std::string&, const Json&) {
      return json_answer(Json::object(), 503);
    };
    HttpSession session(kUrl, server.http);
    session.initialize(std::chrono::seconds(5));
    try {
      session.ping(std::chrono::seconds(5));
      FAIL();
    } catch (const TransportError& error) {
      EXPECT_EQ(error.failure(), TransportFailure::unavailable);
    }
  }
  {
    auto http = std::make_shared<FakeHttp>();
    http->fail_with(net::HttpFailure::cannot_connect);
    HttpSession session(kUrl, http);
    try {
      session.initialize(std::chrono::seconds(5));
      FAIL();
    } catch (const TransportError& error) {
      EXPECT_EQ(error.failure(), TransportFailure::unreachable);
      EXPECT_EQ(error.kind(), ErrorKind::runtime);
    }
  }
  {
    FakeServer server;
    server.answer = [](const std::string&, const Json&) { return accepted(); };
    HttpSession session(kUrl, server.http);
    session.initialize(std::chrono::seconds(5));
    try {
      session.ping(std::chrono::seconds(5));
      FAIL();
    } catch (const TransportError& error) {
      EXPECT_EQ(error.failure(), TransportFailure::broken);
      EXPECT_NE(error.message().find("answered ping without a response (HTTP 202)"),
                std::string::npos);
    }
  }
}

TEST(HttpSession, ATimeOutSaysSoAndCancelsTheRequest) {
  FakeServer server;
  server.answer = [](const std::string&, const Json&) -> net::HttpResponse {
    throw net::HttpError(net::HttpFailure::timed_out, "Operation timed out");
  };
  HttpSession session(kUrl, server.http);
  session.initialize(std::chrono::seconds(5));
  try {
    session.call_tool("slow", Json::object(), std::chrono::milliseconds(1500));
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.message(),
              kUrl +
                  ": no answer to tools/call within 1500 ms (the server may be stuck; see its "
                  "log)");
  }
  ASSERT_FALSE(server.posted.empty());
  EXPECT_EQ(server.posted.back()["method"], "notifications/cancelled");
  EXPECT_EQ(server.posted.back()["params"]["requestId"], server.posted[2]["id"]);
}

TEST(Probe, WaitsUntilTheServerAnswers) {
  FakeServer server;
  std::atomic<int> refusals{3};
  auto inner = server.http;
  auto http = std::make_shared<FakeHttp>();
  http->route("POST /mcp", [&](const net::HttpRequest& request) -> net::HttpResponse {
    if (refusals-- > 0) throw net::HttpError(net::HttpFailure::cannot_connect, "refused");
    return inner->send(request);
  });
  http->route("DELETE /mcp", 200, "");
  server.answer = [](const std::string& method, const Json& message) {
    if (method == "tools/list")
      return json_answer(
          make_result(message["id"], {{"tools", {{{"name", "a"}}, {{"name", "b"}}}}}));
    return json_answer(make_result(message["id"], Json::object()));
  };
  ProbeOptions options;
  options.timeout = std::chrono::seconds(10);
  options.http = http;
  ProbeResult result = probe(kUrl, options);
  EXPECT_EQ(result.attempts, 4);
  EXPECT_EQ(result.server.name, "fake");
  EXPECT_EQ(result.tools, (std::vector<std::string>{"a", "b"}));
  EXPECT_GE(result.total, result.ready);
  EXPECT_EQ(http->calls().back(), "DELETE /mcp");
}

TEST(Probe, GivesUpAtTheDeadlineNamingWhatItSaw) {
  auto http = std::make_shared<FakeHttp>();
  http->fail_with(net::HttpFailure::cannot_connect);
  ProbeOptions options;
  options.timeout = std::chrono::milliseconds(300);
  options.http = http;
  options.subject = "\"fs\"";
  auto start = std::chrono::steady_clock::now();
  try {
    probe(kUrl, options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::runtime);
    EXPECT_EQ(error.message(),
              "\"fs\": did not answer MCP initialize within 300 ms (last: nothing answers (fake "
              "failure)) (see its log)");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_GT(http->sent().size(), 2u);
}

TEST(Probe, AnHttpErrorThatWillNotPassIsThrownAtOnce) {
  auto http = std::make_shared<FakeHttp>();
  http->route("POST /mcp",
              [](const net::HttpRequest&) { return json_answer(Json::object(), 406); });
  ProbeOptions options;
  options.http = http;
  try {
    probe(kUrl, options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.message(), kUrl + ": HTTP 406");
  }
  EXPECT_EQ(http->sent().size(), 1u);
}

}  // namespace
}  // namespace ccmcp::mcp
