// A fake HttpClient for unit tests: requests are answered by routes
// ("GET /v1.41/containers/x/json" -> status and body) and every request is
// recorded, so a test can check what would have been sent to the engine.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_client.h"

namespace ccmcp::testing {

class FakeHttp : public net::HttpClient {
 public:
  using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;

  // Answers "METHOD PATH" (the path without the scheme and host, with its
  // query) with `status` and `body`; the newest route for a key wins.
  void route(const std::string& key, int status, std::string body) {
    std::lock_guard lock(mutex_);
    routes_[key] = [status, body](const net::HttpRequest&) {
      net::HttpResponse response;
      response.status = status;
      response.body = body;
      return response;
    };
  }
  void route(const std::string& key, Handler handler) {
    std::lock_guard lock(mutex_);
    routes_[key] = std::move(handler);
  }
  // Streamed bodies (on_body) arrive in pieces of this many bytes.
  void chunk_size(size_t bytes) { chunk_size_ = bytes == 0 ? 1 : bytes; }
  // Fails every exchange as a network failure would.
  void fail_with(net::HttpFailure failure) { failure_ = failure, failing_ = true; }

  net::HttpResponse send(const net::HttpRequest& request) override {
    std::string path = path_of(request.url);
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(request);
      if (failing_) throw net::HttpError(failure_, "fake failure");
      auto it = routes_.find(request.method + " " + path);
      if (it == routes_.end()) {
        net::HttpResponse response;
        response.status = 404;
        response.body =
            R"({"message":"no route in the fake for )" + request.method + " " + path + "\"}";
        return response;
      }
      handler = it->second;
    }
    net::HttpResponse response = handler(request);
    if (request.on_body && !response.body.empty()) {
      // Stream it as an engine would: in small pieces.
      for (size_t at = 0; at < response.body.size(); at += chunk_size_)
        if (!request.on_body(std::string_view(response.body).substr(at, chunk_size_))) {
          response.stopped = true;
          break;
        }
      response.body.clear();
    }
    return response;
  }

  std::vector<net::HttpRequest> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  // The "METHOD PATH" of every request, in order.
  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& request : sent_) out.push_back(request.method + " " + path_of(request.url));
    return out;
  }

  static std::string path_of(const std::string& url) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Handler> routes_;
  std::vector<net::HttpRequest> sent_;
  bool failing_ = false;
  size_t chunk_size_ = 7;
  net::HttpFailure failure_ = net::HttpFailure::cannot_connect;
};

// An engine answering /version as Docker 20.10 does (API 1.41).
inline constexpr const char* kEngineVersion2010 =
    R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux"})";

}  // namespace ccmcp::testing
