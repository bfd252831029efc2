#include "config/model.h"

namespace ccmcp::config {

const char* to_string(Mode mode) {
  return mode == Mode::docker ? "docker" : "external";
}

const char* to_string(SourceType type) {
  switch (type) {
    case SourceType::git:
      return "git";
    case SourceType::npm:
      return "npm";
    case SourceType::local:
      return "local";
  }
  return "?";
}

const char* to_string(UpdatePolicy policy) {
  switch (policy) {
    case UpdatePolicy::startup:
      return "startup";
    case UpdatePolicy::manual:
      return "manual";
    case UpdatePolicy::scheduled:
      return "scheduled";
  }
  return "?";
}

const char* to_string(NetworkAccess access) {
  switch (access) {
    case NetworkAccess::none:
      return "none";
    case NetworkAccess::allow:
      return "allow";
    case NetworkAccess::full:
      return "full";
  }
  return "?";
}

const Server* Config::find(std::string_view name) const {
  for (const auto& server : servers)
    if (server.name == name) return &server;
  return nullptr;
}

std::vector<std::string> Config::names() const {
  std::vector<std::string> out;
  for (const auto& server : servers) out.push_back(server.name);
  return out;
}

}  // namespace ccmcp::config
