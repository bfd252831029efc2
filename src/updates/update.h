// update and rollback of one server. An update fetches the source anew and
// builds the new version beside the current one (cc-mcp/NAME:VERSION, not
// :latest), tests it with the tester in its throw-away container, shows
// what changed in its tools (a changed description or schema needs
// acceptance), and only then replaces a running container on the same port
// (replace.h) or, for a stopped server, makes the new image the current one.
// Any failure leaves the previous version running and current; each run
// ends in the server's history (history.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"
#include "docker/engine.h"
#include "images/reporter.h"
#include "net/http_client.h"
#include "runtime/lifecycle.h"
#include "runtime/state.h"
#include "testing/package_tests.h"
#include "testing/tester.h"
#include "testing/toolset.h"
#include "updates/history.h"

namespace ccmcp::updates {

// How an update talks to the user (the cli prints the seed's lines).
class UpdateListener {
 public:
  virtual ~UpdateListener() = default;
  // "Building the latest version", "Testing 1.1.0", ...
  virtual void step(const std::string& server, const std::string& text) = 0;
  virtual images::BuildReporter& build_reporter(const std::string& server) = 0;
  virtual void build_done(const std::string& server) = 0;
  virtual tester::TestListener& test_listener() = 0;
  virtual void test_done(const tester::TestReport& report) = 0;
  // What the new version changes in the tools the model sees, before
  // anything is replaced (`known`: false when the current version's tools
  // could not be had).
  virtual void tools_changed(const std::string& server, const tester::ToolsetDiff& diff,
                             bool known) = 0;
  // The tools' descriptions or schemas changed and --accept-tool-changes
  // was not given: true to go on (a yes on a terminal).
  virtual bool confirm_tool_changes(const std::string& server, const tester::ToolsetDiff& diff) = 0;
};

struct UpdateOptions {
  bool dry_run = false;
  bool accept_tool_changes = false;
  runtime::StartOptions start;
  tester::TesterOptions tester;
  std::optional<tester::PackageTests> package_tests;  // beside mcp.json; nullopt: in the image
};

struct UpdateResult {
  std::string name;
  bool up_to_date = false;  // nothing newer: nothing done (not in the history)
  Outcome outcome = Outcome::kept;
  VersionRef from, to;
  std::string step;    // the step that failed
  std::string reason;  // why
  tester::ToolsetDiff tools;
  bool tools_known = false;  // both tool sets were known
  bool was_running = false;
  std::string url;
  std::vector<std::string> log_tail;  // the new container's, when it did not answer
  std::optional<tester::TestReport> test;

  bool ok() const { return up_to_date || outcome == Outcome::kept || outcome == Outcome::dry_run; }
  // A client must reload its tools: the running version changed, and so
  // did its tools (or they could not be compared).
  bool client_must_reload() const {
    return !up_to_date && outcome == Outcome::kept && (!tools_known || !tools.empty());
  }
};

// Updates one docker-mode server with an update source (check.h's
// has_update_source). Errors of the engine itself throw; everything else
// is in the result. Holds the server's update lock for the whole run: a
// second update of the same server is refused with Error (conflict).
UpdateResult update_server(docker::Engine& engine, net::HttpClient& http,
                           runtime::StateStore& state, const config::Config& config,
                           const config::Server& server, const UpdateOptions& options,
                           UpdateListener& listener);

struct RollbackOptions {
  std::string to_version;  // "" = the version that ran before the current one
  runtime::StartOptions start;
};

// Puts back a kept image: the named version, or the one before the
// current (from the history, else the newest other image). Started on the
// same port and checked when the server runs. Throws Error (not_found)
// when there is no such image, naming the ones there are.
UpdateResult rollback_server(docker::Engine& engine, net::HttpClient& http,
                             runtime::StateStore& state, const config::Server& server,
                             const RollbackOptions& options, UpdateListener& listener);

// The tool set of the server's current version: recorded by a test, else
// asked of its running container through its URL; nullopt if neither.
std::optional<nlohmann::json> current_toolset(runtime::StateStore& state,
                                              const config::Server& server,
                                              const std::string& version, bool running);

}  // namespace ccmcp::updates
