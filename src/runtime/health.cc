#include "runtime/health.h"

#include <thread>

#include <nlohmann/json.hpp>

namespace ccmcp::runtime {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::optional<int> healthz_status(net::HttpClient& http, int port,
                                  std::chrono::milliseconds timeout) {
  net::HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
  request.timeout = timeout;
  request.connect_timeout = timeout;
  try {
    return http.send(request).status;
  } catch (const net::HttpError&) {
    return std::nullopt;
  }
}

namespace {

constexpr const char* kProtocolVersion = "2025-06-18";

// The JSON-RPC answer with this id, from a JSON body or an SSE stream.
std::optional<Json> answer_of(const net::HttpResponse& response, int id) {
  auto matches = [id](const Json& message) {
    return message.is_object() && message.contains("id") && message["id"] == id;
  };
  Json whole = Json::parse(response.body, nullptr, false);
  if (!whole.is_discarded()) return matches(whole) ? std::optional(whole) : std::nullopt;
  size_t at = 0;
  while (at < response.body.size()) {
    size_t end = response.body.find('\n', at);
    if (end == std::string::npos) end = response.body.size();
    std::string_view line(response.body.data() + at, end - at);
    if (line.rfind("data:", 0) == 0) {
      Json message = Json::parse(line.substr(5), nullptr, false);
      if (matches(message)) return message;
    }
    at = end + 1;
  }
  return std::nullopt;
}

class Session {
 public:
  Session(net::HttpClient& http, std::string url, Clock::time_point deadline)
      : http_(http), url_(std::move(url)), deadline_(deadline) {}
  ~Session() {
    if (id_.empty()) return;
    net::HttpRequest end = base("DELETE");
    end.timeout = std::chrono::seconds(2);
    try {
      http_.send(end);
    } catch (const net::HttpError&) {
    }
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The result of a request, or throws std::runtime_error with the problem.
  Json request(const std::string& method, Json params) {
    int id = ++next_id_;
    net::HttpRequest request = base("POST");
    request.body =
        Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
    net::HttpResponse response = send(request);
    if (response.status != 200)
      throw std::runtime_error(method + " was answered with HTTP " +
                               std::to_string(response.status));
    if (id_.empty()) id_ = response.header("mcp-session-id");
    auto answer = answer_of(response, id);
    if (!answer) throw std::runtime_error(method + " got no JSON-RPC answer");
    if (answer->contains("error"))
      throw std::runtime_error(method + " failed: " + (*answer)["error"].dump());
    return answer->value("result", Json::object());
  }

  void notify(const std::string& method) {
    net::HttpRequest request = base("POST");
    request.body = Json{{"jsonrpc", "2.0"}, {"method", method}}.dump();
    send(request);
  }

 private:
  net::HttpRequest base(const std::string& method) {
    net::HttpRequest request;
    request.method = method;
    request.url = url_;
    request.headers = {"Accept: application/json, text/event-stream",
                       "Content-Type: application/json"};
    if (!id_.empty()) {
      request.headers.push_back("Mcp-Session-Id: " + id_);
      request.headers.push_back(std::string("MCP-Protocol-Version: ") + kProtocolVersion);
    }
    return request;
  }

  net::HttpResponse send(net::HttpRequest& request) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    if (left.count() <= 0) throw std::runtime_error("no answer in time");
    request.timeout = left;
    request.connect_timeout = left;
    try {
      return http_.send(request);
    } catch (const net::HttpError& error) {
      throw std::runtime_error(error.failure() == net::HttpFailure::timed_out
                                   ? "no answer in time"
                                   : std::string("no answer: ") + error.what());
    }
  }

  net::HttpClient& http_;
  std::string url_;
  Clock::time_point deadline_;
  std::string id_;
  int next_id_ = 0;
};

}  // namespace

ProbeResult probe_server(net::HttpClient& http, const std::string& url,
                         std::chrono::milliseconds timeout, bool deep) {
  ProbeResult result;
  try {
    Session session(http, url, Clock::now() + timeout);
    Json init =
        session.request("initialize", {{"protocolVersion", kProtocolVersion},
                                       {"capabilities", Json::object()},
                                       {"clientInfo", {{"name", "cc-mcp"}, {"version", "probe"}}}});
    if (init.contains("serverInfo") && init["serverInfo"].is_object()) {
      result.server_name = init["serverInfo"].value("name", "");
      result.server_version = init["serverInfo"].value("version", "");
    }
    if (deep) {
      session.notify("notifications/initialized");
      Json tools = session.request("tools/list", Json::object());
      if (tools.contains("tools") && tools["tools"].is_array())
        result.tools = tools["tools"].size();
      session.request("ping", Json::object());
    }
    result.ok = true;
  } catch (const std::exception& error) {
    result.problem = error.what();
  }
  return result;
}

ProbeResult wait_until_serving(net::HttpClient& http, const std::string& url,
                               std::chrono::milliseconds timeout,
                               const std::function<std::optional<std::string>()>& keep_waiting) {
  auto deadline = Clock::now() + timeout;
  ProbeResult last;
  last.problem = "no answer in time";
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      last.problem = "no answer within " + std::to_string((timeout.count() + 999) / 1000) +
                     "s (last try: " + last.problem + ")";
      return last;
    }
    last = probe_server(http, url,
                        std::min<std::chrono::milliseconds>(left, std::chrono::seconds(10)), false);
    if (last.ok) return last;
    if (auto problem = keep_waiting()) {
      last.problem = *problem;
      return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace ccmcp::runtime
