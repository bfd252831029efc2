// The image calls of the Engine API that builds need: inspect, pull, and
// the JSON message streams of /build and /images/create.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "docker/engine.h"
#include "images/reporter.h"

namespace ccmcp::images {

struct LocalImage {
  std::string id;  // "sha256:..."
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;
  std::vector<std::string> entrypoint, cmd;
  std::string workdir, user;
  std::string created;  // as the engine says it
  int64_t size = 0;

  std::string label(const std::string& key) const {
    auto it = labels.find(key);
    return it == labels.end() ? std::string{} : it->second;
  }
};

// GET /images/{ref}/json; nothing when the engine has no such image.
std::optional<LocalImage> inspect_image(docker::Engine& engine, const std::string& ref);

// POST /images/create. Throws Error (build) with the engine's reason and a
// hint for a machine that reaches no registry.
void pull_image(docker::Engine& engine, const std::string& ref, BuildReporter& reporter);

// {"fromImage": "ghcr.io/x/y", "tag": "1"} from "ghcr.io/x/y:1" (tag
// "latest" when none; a digest goes in tag, as the docker CLI sends it).
std::pair<std::string, std::string> split_image_reference(const std::string& ref);

// Sends `request` (the version prefix is added) and hands every JSON
// message of the answer to `on_message`. An error status becomes an
// EngineError with the engine's own message, as with Engine::call.
void stream_json(docker::Engine& engine, net::HttpRequest request, const std::string& subject,
                 const std::function<void(const docker::Json&)>& on_message);

}  // namespace ccmcp::images
