// updatePolicy "startup" (updates/policy.h): before `start` or `restart` runs
// servers, the due ones among them (docker mode, a source, an image already)
// are checked, and those whose source has a newer version are updated first
// (built, tested, switched) with the update's progress. A source that
// cannot be asked or an update that fails is a warning: the current version
// starts.
#pragma once

#include <chrono>
#include <vector>

#include "cli/command.h"
#include "docker/engine.h"
#include "net/http_client.h"
#include "runtime/state.h"

namespace ccmcp::cli {

void apply_startup_updates(Context& ctx, docker::Engine& engine, net::HttpClient& http,
                           runtime::StateStore& state, const config::Config& config,
                           const std::vector<const config::Server*>& servers,
                           std::chrono::milliseconds timeout);

}  // namespace ccmcp::cli
