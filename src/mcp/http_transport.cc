#include "mcp/http_transport.h"

#include "mcp/sse_parser.h"

namespace ccmcp::mcp {

namespace {

// Reads an answer body as it arrives. Its first byte tells its kind: a JSON
// body starts with '{' or '[', an event stream with a field name or ':'.
// (The Content-Type header is not known yet while curl hands us the body.)
class BodyReader {
 public:
  explicit BodyReader(const MessageSink& sink)
      : sink_(sink), parser_([this](const SseEvent& event) { return on_event(event); }) {}

  bool feed(std::string_view chunk) {
    if (kind_ == Kind::unknown) {
      size_t first = chunk.find_first_not_of(" \t\r\n");
      if (first == std::string_view::npos) {
        json_.append(chunk);
        return true;
      }
      kind_ = chunk[first] == '{' || chunk[first] == '[' ? Kind::json : Kind::sse;
      if (kind_ == Kind::sse && !json_.empty()) {
        parser_.feed(json_);
        json_.clear();
      }
    }
    if (kind_ == Kind::json) {
      json_.append(chunk);
      return true;
    }
    return parser_.feed(chunk);
  }

  bool streamed() const { return kind_ == Kind::sse; }
  const std::string& text() const { return json_; }

  // A JSON body: each message of it (one object, or a batch array).
  void deliver_json() {
    if (kind_ != Kind::json) return;
    Json body = Json::parse(json_, nullptr, false);
    if (body.is_array()) {
      for (auto& message : body)
        if (!sink_(std::move(message))) return;
    } else if (body.is_object()) {
      sink_(std::move(body));
    }
  }

 private:
  enum class Kind { unknown, json, sse };

  bool on_event(const SseEvent& event) {
    if (event.type != "message") return true;
    if (event.data.find_first_not_of(" \t\r\n") == std::string::npos) return true;  // priming
    Json message = Json::parse(event.data, nullptr, false);
    if (message.is_discarded()) return true;  // not ours to judge; nothing to deliver
    return sink_(std::move(message));
  }

  const MessageSink& sink_;
  SseParser parser_;
  Kind kind_ = Kind::unknown;
  std::string json_;
};

std::string error_message_of(const std::string& body) {
  Json json = Json::parse(body, nullptr, false);
  if (json.is_object()) {
    if (auto error = json.find("error"); error != json.end()) {
      if (error->is_object() && error->contains("message") && (*error)["message"].is_string())
        return (*error)["message"].get<std::string>();
      if (error->is_string()) return error->get<std::string>();
    }
    if (auto message = json.find("message"); message != json.end() && message->is_string())
      return message->get<std::string>();
    return {};
  }
  std::string text = body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

TransportError::TransportError(TransportFailure failure, int status, std::string subject,
                               std::string problem, std::string hint)
    : Error(ErrorKind::runtime, std::move(subject), std::move(problem), std::move(hint)),
      failure_(failure),
      status_(status) {}

HttpTransport::HttpTransport(std::string url, std::shared_ptr<net::HttpClient> http)
    : url_(std::move(url)), http_(http ? std::move(http) : net::make_curl_client()) {}

std::string HttpTransport::session_id() const {
  std::lock_guard lock(mutex_);
  return session_id_;
}

void HttpTransport::set_session_id(std::string id) {
  std::lock_guard lock(mutex_);
  session_id_ = std::move(id);
}

std::string HttpTransport::protocol_version() const {
  std::lock_guard lock(mutex_);
  return protocol_version_;
}

void HttpTransport::set_protocol_version(std::string version) {
  std::lock_guard lock(mutex_);
  protocol_version_ = std::move(version);
}

net::HttpRequest HttpTransport::request(const std::string& method, bool with_session) const {
  net::HttpRequest request;
  request.method = method;
  request.url = url_;
  request.connect_timeout = std::chrono::seconds(5);
  if (with_session) {
    std::lock_guard lock(mutex_);
    if (!session_id_.empty()) request.headers.push_back("Mcp-Session-Id: " + session_id_);
    if (!protocol_version_.empty())
      request.headers.push_back("MCP-Protocol-Version: " + protocol_version_);
  }
  return request;
}

TransportError HttpTransport::failure(const net::HttpError& error, const std::string& what) const {
  switch (error.failure()) {
    case net::HttpFailure::no_socket:
    case net::HttpFailure::permission_denied:
    case net::HttpFailure::cannot_connect:
      return TransportError(TransportFailure::unreachable, 0, url_,
                            "nothing answers (" + std::string(error.what()) + ")",
                            "is the server running?");
    case net::HttpFailure::timed_out:
      return TransportError(TransportFailure::timed_out, 0, url_,
                            "no answer to " + what + " in time");
    case net::HttpFailure::cancelled:
      return TransportError(TransportFailure::cancelled, 0, url_, what + " was cancelled");
    case net::HttpFailure::failed:
      break;
  }
  return TransportError(TransportFailure::broken, 0, url_,
                        "the connection broke during " + what + " (" + error.what() + ")",
                        "the server may have restarted");
}

TransportError HttpTransport::status_error(const net::HttpResponse& response,
                                           const std::string& body, bool with_session) const {
  int status = response.status;
  std::string detail = error_message_of(body);
  std::string problem = "HTTP " + std::to_string(status) + (detail.empty() ? "" : ": " + detail);
  if (status == 404 && with_session && !session_id().empty())
    return TransportError(TransportFailure::session_expired, status, url_,
                          "the session ended (" + problem + ")",
                          "the server restarted or timed it out; initialize again");
  if (status == 502 || status == 503)
    return TransportError(TransportFailure::unavailable, status, url_, problem,
                          "the server is not ready; try again");
  return TransportError(TransportFailure::http_status, status, url_, problem);
}

PostAnswer HttpTransport::post(const std::string& body, const MessageSink& sink,
                               const Exchange& exchange) {
  net::HttpRequest req = request("POST", exchange.with_session);
  req.headers.push_back("Content-Type: application/json");
  req.headers.push_back("Accept: application/json, text/event-stream");
  req.body = body;
  req.timeout = exchange.timeout;
  req.cancel = exchange.cancel;
  BodyReader reader(sink);
  req.on_body = [&reader](std::string_view chunk) { return reader.feed(chunk); };
  net::HttpResponse response;
  try {
    response = http_->send(req);
  } catch (const net::HttpError& error) {
    throw failure(error, "a POST");
  }
  if (response.status >= 400 || response.status < 200)
    throw status_error(response, reader.text(), exchange.with_session);
  reader.deliver_json();
  return {response.status, reader.streamed(), response.header("mcp-session-id")};
}

bool HttpTransport::listen(const MessageSink& sink, const std::atomic<bool>* cancel) {
  net::HttpRequest req = request("GET", true);
  req.headers.push_back("Accept: text/event-stream");
  req.cancel = cancel;
  BodyReader reader(sink);
  req.on_body = [&reader](std::string_view chunk) { return reader.feed(chunk); };
  net::HttpResponse response;
  try {
    response = http_->send(req);
  } catch (const net::HttpError& error) {
    throw failure(error, "the GET stream");
  }
  if (response.status == 405) return false;
  if (response.status >= 400 || response.status < 200)
    throw status_error(response, reader.text(), true);
  reader.deliver_json();  // a server may answer a GET with JSON: odd, but deliverable
  return true;
}

void HttpTransport::end_session(std::chrono::milliseconds timeout) {
  if (session_id().empty()) return;
  net::HttpRequest req = request("DELETE", true);
  req.timeout = timeout;
  try {
    http_->send(req);
  } catch (const net::HttpError&) {
    // Gone already: the session ended with it.
  }
  set_session_id({});
}

}  // namespace ccmcp::mcp
