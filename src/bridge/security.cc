#include "bridge/security.h"

#include <algorithm>

namespace ccmcp::bridge {

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "Example.com:8080" -> "example.com"; "[::1]:3000" -> "[::1]".
std::string host_without_port(const std::string& host) {
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    return close == std::string::npos ? host : host.substr(0, close + 1);
  }
  size_t colon = host.rfind(':');
  return colon == std::string::npos ? host : host.substr(0, colon);
}

bool origin_allowed(const std::vector<std::string>& allowed, const std::string& origin) {
  std::string o = lower(origin);
  for (const auto& entry : allowed) {
    std::string a = lower(entry);
    if (a == "*" || a == o) return true;
    // An entry without a port allows every port of that scheme and host.
    if (o.size() > a.size() && o.compare(0, a.size(), a) == 0 && o[a.size()] == ':' &&
        a.find(':', a.find("//") + 2) == std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

bool constant_time_equal(const std::string& a, const std::string& b) {
  // Time depends only on the length of the expected value `b`.
  unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
  for (size_t i = 0; i < b.size(); ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

AccessDecision check_access(const AccessPolicy& policy, const HttpRequest& request) {
  const std::string* host = request.header("host");
  if (!host) return {400, "a Host header is required"};
  std::string name = lower(host_without_port(*host));
  bool host_ok = std::any_of(policy.allowed_hosts.begin(), policy.allowed_hosts.end(),
                             [&](const std::string& h) { return h == "*" || lower(h) == name; });
  if (!host_ok) return {403, "host " + name + " is not allowed (see --allow-host)"};
  if (const std::string* origin = request.header("origin")) {
    if (!origin_allowed(policy.allowed_origins, *origin))
      return {403, "origin " + *origin + " is not allowed (see --allow-origin)"};
  }
  if (policy.token) {
    const std::string* auth = request.header("authorization");
    static const std::string kBearer = "bearer ";
    if (!auth || auth->size() <= kBearer.size() ||
        lower(auth->substr(0, kBearer.size())) != kBearer ||
        !constant_time_equal(auth->substr(kBearer.size()), *policy.token))
      return {401, "a valid bearer token is required"};
  }
  return {};
}

}  // namespace ccmcp::bridge
