// The Docker Engine API, spoken over HTTP (libcurl) on DOCKER_HOST.
//
// Every call goes to /v<negotiated version>/...: the lower of the engine's
// own API version (asked once, from GET /version) and the newest this client
// knows. Engines older than API 1.41 (Docker 20.10) are refused by name.
// Failures become Error with the engine's own message and a hint; an
// EngineError carries the HTTP status for callers that act on 404 or 409.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "docker/endpoint.h"
#include "net/http_client.h"
#include "util/error.h"

namespace ccmcp::docker {

using Json = nlohmann::json;

inline constexpr const char* kOldestApiVersion = "1.41";
inline constexpr const char* kNewestApiVersion = "1.47";

// The engine answered with an error status.
class EngineError : public Error {
 public:
  EngineError(int status, std::string subject, std::string problem, std::string hint = {});
  int status() const { return status_; }

 private:
  int status_;
};

// "1.41" < "1.9" is false: compares numerically, part by part.
int compare_api_versions(std::string_view a, std::string_view b);

// Percent-encodes a query or path value.
std::string url_encode(std::string_view text);

class Engine {
 public:
  Engine(Endpoint endpoint, std::shared_ptr<net::HttpClient> http);
  // DOCKER_HOST, through libcurl.
  static Engine from_environment();

  const Endpoint& endpoint() const { return endpoint_; }

  // The negotiated API version, "1.41"; asks the engine the first time.
  std::string api_version();
  // GET /version as the engine answered it.
  Json version_info();

  // A request to "/containers/json?all=1" (the version prefix is added).
  // Statuses >= 400 throw EngineError; `subject` names the thing in it.
  net::HttpResponse call(net::HttpRequest request, const std::string& subject = {});
  // The same, but a 404 is returned (as a response) instead of thrown.
  net::HttpResponse call_allow_404(net::HttpRequest request, const std::string& subject = {});

  Json get(const std::string& path, const std::string& subject = {});
  // nullopt for 404.
  std::optional<Json> get_if_exists(const std::string& path, const std::string& subject = {});
  Json post(const std::string& path, const Json& body = nullptr, const std::string& subject = {});
  void del(const std::string& path, const std::string& subject = {});

  // Time-outs for calls that do not set their own.
  std::chrono::milliseconds default_timeout{std::chrono::seconds(30)};

  // The Error for an exchange that had no answer, worded for people.
  Error unreachable(const net::HttpError& error) const;

 private:
  net::HttpRequest prepare(net::HttpRequest request, bool versioned);
  net::HttpResponse exchange(net::HttpRequest request, bool versioned);

  Endpoint endpoint_;
  std::shared_ptr<net::HttpClient> http_;
  std::mutex version_mutex_;
  std::string api_version_;
  Json version_info_;
};

}  // namespace ccmcp::docker
