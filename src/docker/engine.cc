#include "docker/engine.h"

#include <cctype>
#include <cstdio>

namespace ccmcp::docker {

EngineError::EngineError(int status, std::string subject, std::string problem, std::string hint)
    : Error(status == 404   ? ErrorKind::not_found
            : status == 409 ? ErrorKind::conflict
                            : ErrorKind::engine,
            std::move(subject), std::move(problem), std::move(hint)),
      status_(status) {}

int compare_api_versions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& text) {
    long value = 0;
    while (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front()))) {
      value = value * 10 + (text.front() - '0');
      text.remove_prefix(1);
    }
    if (!text.empty() && text.front() == '.') text.remove_prefix(1);
    return value;
  };
  while (!a.empty() || !b.empty()) {
    long x = next(a), y = next(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

Engine::Engine(Endpoint endpoint, std::shared_ptr<net::HttpClient> http)
    : endpoint_(std::move(endpoint)), http_(std::move(http)) {}

Engine Engine::from_environment() {
  return Engine(endpoint_from_environment(), net::make_curl_client());
}

Error Engine::unreachable(const net::HttpError& error) const {
  std::string where = "the Docker engine at " + endpoint_.text;
  switch (error.failure()) {
    case net::HttpFailure::no_socket:
    case net::HttpFailure::cannot_connect:
      return Error(ErrorKind::engine, "", "cannot reach " + where,
                   "is dockerd running? scripts/setup starts it");
    case net::HttpFailure::permission_denied:
      return Error(ErrorKind::engine, "", "no permission to use " + where,
                   "run as root or join the docker group");
    case net::HttpFailure::timed_out:
      return Error(ErrorKind::engine, "", where + " did not answer in time",
                   "is it overloaded? docker info shows its state");
    case net::HttpFailure::cancelled:
      return Error(ErrorKind::engine, "", "cancelled");
    case net::HttpFailure::failed:
      break;
  }
  return Error(ErrorKind::engine, "", "lost the connection to " + where + ": " + error.what(),
               "is dockerd still running?");
}

net::HttpRequest Engine::prepare(net::HttpRequest request, bool versioned) {
  std::string path = request.url;
  if (versioned) path = "/v" + api_version() + path;
  request.url = endpoint_.base_url() + path;
  if (endpoint_.kind == Endpoint::Kind::unix_socket) request.unix_socket = endpoint_.socket_path;
  if (endpoint_.tls) {
    request.ca_file = endpoint_.cert_dir + "/ca.pem";
    request.cert_file = endpoint_.cert_dir + "/cert.pem";
    request.key_file = endpoint_.cert_dir + "/key.pem";
  }
  if (request.timeout.count() == 0 && !request.on_body && !request.body_reader)
    request.timeout = default_timeout;
  return request;
}

net::HttpResponse Engine::exchange(net::HttpRequest request, bool versioned) {
  net::HttpRequest ready = prepare(std::move(request), versioned);
  try {
    return http_->send(ready);
  } catch (const net::HttpError& error) {
    throw unreachable(error);
  }
}

std::string Engine::api_version() {
  std::lock_guard lock(version_mutex_);
  if (!api_version_.empty()) return api_version_;
  net::HttpRequest request;
  request.url = "/version";
  request.timeout = std::chrono::seconds(10);
  net::HttpResponse response = exchange(std::move(request), false);
  Json info = Json::parse(response.body, nullptr, false);
  if (response.status != 200 || !info.is_object() || !info.contains("ApiVersion"))
    throw Error(ErrorKind::engine, "", endpoint_.text + " did not answer like a Docker engine",
                "is DOCKER_HOST right?");
  std::string theirs = info.value("ApiVersion", "");
  if (compare_api_versions(theirs, kOldestApiVersion) < 0)
    throw Error(ErrorKind::engine, "",
                "the Docker engine at " + endpoint_.text + " speaks API " + theirs +
                    ", older than " + kOldestApiVersion + ", the oldest cc-mcp speaks",
                "upgrade Docker to 20.10 or newer");
  api_version_ = compare_api_versions(theirs, kNewestApiVersion) < 0 ? theirs : kNewestApiVersion;
  version_info_ = std::move(info);
  return api_version_;
}

Json Engine::version_info() {
  api_version();
  std::lock_guard lock(version_mutex_);
  return version_info_;
}

namespace {

// The engine's {"message": "..."}, lowercase first letter like ours.
std::string engine_message(const net::HttpResponse& response) {
  std::string message;
  if (!response.body.empty()) {
    Json body = Json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("message") && body["message"].is_string())
      message = body["message"].get<std::string>();
    else
      message = response.body;
  }
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    message.pop_back();
  if (message.empty()) message = "HTTP " + std::to_string(response.status);
  if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
      std::islower(static_cast<unsigned char>(message[1])))
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  return "the Docker engine said: " + message;
}

}  // namespace

net::HttpResponse Engine::call(net::HttpRequest request, const std::string& subject) {
  net::HttpResponse response = call_allow_404(std::move(request), subject);
  if (response.status == 404) throw EngineError(404, subject, engine_message(response));
  return response;
}

net::HttpResponse Engine::call_allow_404(net::HttpRequest request, const std::string& subject) {
  net::HttpResponse response = exchange(std::move(request), true);
  if (response.status >= 400 && response.status != 404) {
    std::string hint;
    if (response.status >= 500) hint = "the engine's log may say more";
    throw EngineError(response.status, subject, engine_message(response), hint);
  }
  return response;
}

namespace {

Json parse_body(const net::HttpResponse& response) {
  if (response.body.empty()) return nullptr;
  Json body = Json::parse(response.body, nullptr, false);
  if (body.is_discarded())
    throw Error(ErrorKind::engine, "", "the Docker engine answered with something not JSON",
                "is DOCKER_HOST a Docker engine?");
  return body;
}

net::HttpRequest json_request(const std::string& method, const std::string& path,
                              const Json& body) {
  net::HttpRequest request;
  request.method = method;
  request.url = path;
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.push_back("Content-Type: application/json");
  }
  return request;
}

}  // namespace

Json Engine::get(const std::string& path, const std::string& subject) {
  return parse_body(call(json_request("GET", path, nullptr), subject));
}

std::optional<Json> Engine::get_if_exists(const std::string& path, const std::string& subject) {
  net::HttpResponse response = call_allow_404(json_request("GET", path, nullptr), subject);
  if (response.status == 404) return std::nullopt;
  return parse_body(response);
}

Json Engine::post(const std::string& path, const Json& body, const std::string& subject) {
  return parse_body(call(json_request("POST", path, body), subject));
}

void Engine::del(const std::string& path, const std::string& subject) {
  call(json_request("DELETE", path, nullptr), subject);
}

}  // namespace ccmcp::docker
