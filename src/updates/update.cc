#include "updates/update.h"

#include <algorithm>

#include "config/effective.h"
#include "docker/containers.h"
#include "images/catalog.h"
#include "images/ensure.h"
#include "mcp/http_session.h"
#include "runtime/containers.h"
#include "testing/test_container.h"
#include "testing/test_record.h"
#include "updates/fault_point.h"
#include "updates/guard.h"
#include "updates/policy.h"
#include "updates/replace.h"
#include "updates/update_run.h"
#include "util/strings.h"

namespace ccmcp::updates {

using namespace detail;

namespace {

class SilentTestListener : public tester::TestListener {
 public:
  void started(const tester::TestTarget&) override {}
  void check_done(const tester::CheckResult&) override {}
};

std::string tool_changes_text(const tester::ToolsetDiff& diff) {
  std::string text;
  auto add = [&](const char* what, const std::vector<std::string>& names) {
    if (names.empty()) return;
    text += (text.empty() ? "" : "; ") + std::string(what) + ": " + join(names, ", ");
  };
  add("description changed", diff.description_changed);
  add("schema changed", diff.schema_changed);
  return text;
}

}  // namespace

std::optional<nlohmann::json> current_toolset(runtime::StateStore& state,
                                              const config::Server& server,
                                              const std::string& version, bool running) {
  if (auto recorded = tester::recorded_toolset(state, server.name, version)) return recorded;
  auto port = state.port_of(server.name);
  if (!running || !port) return std::nullopt;
  try {
    mcp::HttpSession session(runtime::server_url(*port));
    session.initialize(std::chrono::seconds(10));
    auto tools = session.list_tools(std::chrono::seconds(10));
    session.close();
    return tester::toolset_record(tools);
  } catch (const Error&) {
    return std::nullopt;
  }
}

UpdateResult update_server(docker::Engine& engine, net::HttpClient& http,
                           runtime::StateStore& state, const config::Config& config,
                           const config::Server& server, const UpdateOptions& options,
                           UpdateListener& listener) {
  UpdateLock lock(engine, state, server.name);
  UpdateResult result;
  result.name = server.name;
  auto current = images::current_image_info(engine, server.name);
  if (!current)
    throw Error(ErrorKind::not_found, quote(server.name), "has no image yet: nothing to update",
                "cc-mcp start " + server.name + " builds the latest version and runs it");
  result.from = ref_of(*current);
  std::string source = config::image_of(server);
  if (auto image = docker::inspect_image(engine, current->id))
    source = docker::labels_of(*image)["dev.cc-mcp.source"];
  result.was_running = container_runs(engine, server);

  // 1. Fetch and build beside the current image.
  listener.step(server.name, "Fetching and building the latest version...");
  fault_point("build");
  images::ImageInfo next;
  try {
    next = images::ensure_image(engine, config, server, state.home(), images::BuildWhen::update,
                                listener.build_reporter(server.name), images::Promote::no);
    listener.build_done(server.name);
  } catch (const Error& error) {
    listener.build_done(server.name);
    if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
      throw;
    return finish(state, failed(result, Outcome::failed, "build", error.message()), Action::update,
                  source);
  }
  result.to = ref_of(next);
  if (next.id == current->id) {
    result.up_to_date = true;
    return result;
  }

  // 2. The tester, in its throw-away container: the gate.
  listener.step(server.name, "Testing " + next.version + "...");
  fault_point("test");
  tester::TestTarget target;
  target.server = server;
  target.configured = true;
  target.image = images::image_ref(next);
  target.args = images::container_args(server);
  target.package_tests = options.package_tests;
  target.other_servers = tester::recorded_tools_of_others(state, config, server.name);
  for (const auto& name : tester::sweep_stale_test_containers(engine)) (void)name;
  std::optional<nlohmann::json> before =
      current_toolset(state, server, current->version, result.was_running);
  if (!before) {
    // Never tested and not running: the tester lists the current version's
    // tools too, so that a rewritten tool is never let through unseen.
    tester::TestTarget old = target;
    old.image = images::image_ref(*current);
    SilentTestListener silent;
    tester::TestReport baseline = tester::run_tests(engine, old, options.tester, silent);
    tester::record_report(state, baseline, true);
    if (baseline.toolset.is_object()) before = baseline.toolset;
  }
  tester::TestReport report =
      tester::run_tests(engine, target, options.tester, listener.test_listener());
  listener.test_done(report);
  tester::record_report(state, report, true);
  result.test = report;
  if (!report.passed())
    return finish(
        state,
        failed(result, Outcome::rolled_back, "test",
               "version " + next.version + " failed the tester: " + report.failed_summary()),
        Action::update, source);

  // 3. What changes for the model.
  if (before && report.toolset.is_object()) {
    result.tools = tester::diff_toolsets(*before, report.toolset);
    result.tools_known = true;
  }
  listener.tools_changed(server.name, result.tools, result.tools_known);
  bool rewritten =
      !result.tools.description_changed.empty() || !result.tools.schema_changed.empty();
  if (rewritten && !options.accept_tool_changes && !options.dry_run &&
      !listener.confirm_tool_changes(server.name, result.tools))
    return finish(state,
                  failed(result, Outcome::refused, "tools",
                         "tools of " + server.name + " were rewritten (" +
                             tool_changes_text(result.tools) + ") and not accepted"),
                  Action::update, source);
  if (options.dry_run) {
    result.outcome = Outcome::dry_run;
    return result;  // nothing happened to the server: not in its history
  }

  // 4. Replace on the same port, or make it current for the next start.
  if (!result.was_running) {
    images::promote_image(engine, server.name, next.id);
    result.outcome = Outcome::kept;
    return finish(state, result, Action::update, source);
  }
  listener.step(server.name, "Replacing the container on the same port...");
  Replacement replacement{server,
                          images::image_ref(next),
                          images::image_ref(*current),
                          images::container_args(server),
                          options.start,
                          Action::update};
  Guard guard(state.home(), server.name);
  try {
    runtime::StartReport started = replace_container(engine, http, state, replacement);
    guard.replacement_ended();
    result.url = started.url;
  } catch (const ReplaceFailed& error) {
    guard.replacement_ended();
    result.log_tail = error.log_tail();
    return finish(state,
                  failed(result, error.put_back() ? Outcome::rolled_back : Outcome::failed,
                         "replace", error.problem()),
                  Action::update, source);
  }
  result.outcome = Outcome::kept;
  return finish(state, result, Action::update, source);
}

}  // namespace ccmcp::updates
