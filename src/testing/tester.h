// The tester: the gate that `cc-mcp test`, install and update all call.
// One run tests one image in a throw-away hardened container
// (test_container.h) and gives one TestReport of checks, in this order:
//
//   ready         the bridge's /healthz, then MCP initialize, within the
//                 time-out; a container that exits fails at once, with its
//                 last log lines
//   connection    initialize's protocol version, serverInfo and
//                 capabilities; notifications/initialized; ping
//   capabilities  tools/list, prompts/list, resources/list for what the
//                 server declares; every tool well-formed (tool_schema.h)
//   package       the package's own tests (package_tests.h), when it has any:
//                 its connection command inside the container, its calls
//   image-scan    image_scan.h
//   dependencies  every npm package of the image against an OSV database
//   tool-scan     tool_scan.h over tools, prompts and resources, and tools
//                 shadowing another configured server's
//
// A check is pass, warn or fail; the report passes when none failed.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/model.h"
#include "docker/engine.h"
#include "runtime/container_spec.h"
#include "testing/dependency_scan.h"
#include "testing/finding.h"
#include "testing/package_tests.h"
#include "testing/tool_scan.h"

namespace ccmcp::tester {

struct CheckResult {
  std::string id;     // "ready", "connection", ... (above)
  std::string title;  // "Connection test", "Security scan: image", ... for people
  Status status = Status::pass;
  std::string detail;  // one line: what was seen, or why it failed
  Findings findings;
  std::vector<std::string> log_tail;  // a container that died: its last lines
  std::chrono::milliseconds took{0};

  static CheckResult make(std::string id, std::string title, Status status = Status::pass,
                          std::string detail = {}) {
    CheckResult check;
    check.id = std::move(id);
    check.title = std::move(title);
    check.status = status;
    check.detail = std::move(detail);
    return check;
  }
};

struct TestReport {
  std::string subject;  // the server's name, or the image for --image
  std::string image;    // reference
  std::string image_id;
  std::string version;
  std::string container;  // the test container's name (gone by now)
  std::string network;    // what it had: "none" or "bridge"
  std::vector<std::string> volume_notes;
  std::vector<CheckResult> checks;
  nlohmann::json toolset;  // toolset_record() of what tools/list gave; null if none
  nlohmann::json server_info = nlohmann::json::object();  // serverInfo of initialize
  std::chrono::milliseconds took{0};

  bool passed() const;
  // "Ready check: ...; Tool scan: ..." of the checks that failed.
  std::string failed_summary() const;
  nlohmann::ordered_json to_json() const;
};

struct TestTarget {
  config::Server server;    // for --image, a made-up one: name from the image, no volumes
  bool configured = false;  // a server of mcp.json (its toolset is recorded under its name)
  runtime::ImageRef image;
  std::vector<std::string> args;  // the container's command (images::container_args)
  bool network = false;
  // The package's tests when they come from outside the image (beside
  // mcp.json, or a catalog's package file); nullopt: look in the image.
  std::optional<PackageTests> package_tests;
  std::vector<OtherServerTools> other_servers;  // for shadowing
};

struct TesterOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // to be ready
  std::chrono::milliseconds request_timeout{std::chrono::seconds(15)};
  bool run_package_tests = true;
  std::filesystem::path osv_db;  // the folder; a missing one is a warning
  DependencyScanOptions dependencies;
  ToolScanOptions tools;
};

// Hears each check as it ends (the command prints the seed's lines).
class TestListener {
 public:
  virtual ~TestListener() = default;
  virtual void started(const TestTarget& target) = 0;
  virtual void check_done(const CheckResult& check) = 0;
};

// Runs every check. Errors of the engine itself (unreachable) throw
// Error; everything about the server becomes a failed check.
TestReport run_tests(docker::Engine& engine, const TestTarget& target, const TesterOptions& options,
                     TestListener& listener);

}  // namespace ccmcp::tester
