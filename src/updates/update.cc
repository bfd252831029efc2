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
#include "util/file_lock.h"

namespace ccmcp::updates {

namespace {

VersionRef ref_of(const images::ImageInfo& info) {
  return {info.version, info.commit, info.id};
}

runtime::ImageRef image_ref(const images::ImageInfo& info) {
  return {info.reference, info.id, info.version};
}

bool container_runs(docker::Engine& engine, const config::Server& server) {
  auto found = runtime::find_managed(engine, config::container_name_of(server), server.name);
  return found && runtime::state_of(*found) == "running";
}

// "ready: the container exited with code 1; tool-scan: ..." of a failed report.
std::string failed_checks(const tester::TestReport& report) {
  std::string text;
  for (const auto& check : report.checks) {
    if (check.status != tester::Status::fail) continue;
    if (!text.empty()) text += "; ";
    text += check.title + (check.detail.empty() ? "" : ": " + check.detail);
  }
  return text.empty() ? "a check failed" : text;
}

// Holds the server's update lock and puts right what a killed update left
// (its guard may not have run: a reboot).
class UpdateLock {
 public:
  UpdateLock(docker::Engine& engine, runtime::StateStore& state, const std::string& server)
      : lock_(take(state, server)) {
    if (read_journal(state, server)) {
      Recovery recovery = recover(engine, state, server, std::chrono::seconds(30));
      HistoryEntry entry;
      entry.at = std::chrono::system_clock::now();
      entry.action = Action::recover;
      entry.outcome = recovery.outcome;
      entry.from = recovery.journal.from;
      entry.to = recovery.journal.to;
      entry.step = recovery.journal.step;
      entry.reason =
          "an earlier " + recovery.journal.action + " died while replacing: " + recovery.detail;
      append_history(state, server, entry);
    }
  }

  static FileLock take(runtime::StateStore& state, const std::string& server) {
    try {
      return FileLock(update_lock_path(state.home(), server), std::chrono::milliseconds(0),
                      "another cc-mcp update or rollback of " + server);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::conflict) throw;
      throw Error(ErrorKind::conflict, quote(server),
                  "another cc-mcp is updating or rolling it back right now; nothing was done",
                  "wait for it to end; cc-mcp history " + server + " shows how it ended");
    }
  }

 private:
  FileLock lock_;
};

class SilentTestListener : public tester::TestListener {
 public:
  void started(const tester::TestTarget&) override {}
  void check_done(const tester::CheckResult&) override {}
};

UpdateResult finish(runtime::StateStore& state, UpdateResult result, Action action,
                    const std::string& source) {
  if (result.up_to_date) return result;
  HistoryEntry entry;
  entry.at = std::chrono::system_clock::now();
  entry.action = action;
  entry.outcome = result.outcome;
  entry.from = result.from;
  entry.to = result.to;
  entry.source = source;
  entry.step = result.step;
  entry.reason = result.reason;
  entry.tools = result.tools;
  append_history(state, result.name, entry);
  if (result.outcome == Outcome::kept) record_running_version(state, result.name, result.to);
  return result;
}

UpdateResult failed(UpdateResult result, Outcome outcome, std::string step, std::string reason) {
  result.outcome = outcome;
  result.step = std::move(step);
  result.reason = std::move(reason);
  return result;
}

std::string tool_changes_text(const tester::ToolsetDiff& diff) {
  std::string text;
  auto add = [&](const char* what, const std::vector<std::string>& names) {
    if (names.empty()) return;
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    text += (text.empty() ? "" : "; ") + std::string(what) + ": " + list;
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
  target.image = image_ref(next);
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
    old.image = image_ref(*current);
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
               "version " + next.version + " failed the tester: " + failed_checks(report)),
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
  Replacement replacement{
      server,        image_ref(next), image_ref(*current), images::container_args(server),
      options.start, Action::update};
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

UpdateResult rollback_server(docker::Engine& engine, net::HttpClient& http,
                             runtime::StateStore& state, const config::Server& server,
                             const RollbackOptions& options, UpdateListener& listener) {
  UpdateLock lock(engine, state, server.name);
  UpdateResult result;
  result.name = server.name;
  auto current = images::current_image_info(engine, server.name);
  if (!current)
    throw Error(ErrorKind::not_found, quote(server.name), "has no image: nothing to roll back",
                "cc-mcp start " + server.name + " builds it");
  result.from = ref_of(*current);
  std::vector<images::ImageRecord> kept = images::list_server_images(engine, server.name);
  auto usable = [&](const images::ImageRecord& record) {
    return record.id != current->id && !record.tags.empty();
  };
  const images::ImageRecord* target = nullptr;
  if (!options.to_version.empty()) {
    for (const auto& record : kept)
      if (usable(record) &&
          (record.version == options.to_version ||
           (!record.commit.empty() && record.commit.rfind(options.to_version, 0) == 0)))
        target = &record;
    if (!target) {
      std::string versions;
      for (const auto& record : kept)
        if (!record.tags.empty() && !record.version.empty())
          versions += (versions.empty() ? "" : ", ") + record.version +
                      (record.id == current->id ? " (current)" : "");
      throw Error(
          ErrorKind::not_found, quote(server.name),
          "has no kept image of version " + quote(options.to_version),
          versions.empty() ? "it has no other image to go back to" : "kept versions: " + versions);
    }
  } else {
    // The version that ran before the current one, by the history.
    auto history = read_history(state, server.name);
    for (auto it = history.rbegin(); it != history.rend() && !target; ++it)
      if (it->outcome == Outcome::kept && it->to.image == current->id)
        for (const auto& record : kept)
          if (usable(record) && record.id == it->from.image) target = &record;
    for (const auto& record : kept)  // else the newest other one (newest first)
      if (!target && usable(record)) target = &record;
    if (!target)
      throw Error(ErrorKind::not_found, quote(server.name),
                  "has no earlier image kept: nothing to roll back to",
                  "cc-mcp images " + server.name + " lists its images");
  }
  auto image = docker::inspect_image(engine, target->id);
  if (!image)
    throw Error(ErrorKind::not_found, quote(server.name), "its image " + target->id + " is gone",
                "cc-mcp images " + server.name);
  images::ImageInfo info;
  info.id = target->id;
  info.version = target->version;
  info.commit = target->commit;
  info.reference = target->tags.front();
  for (const auto& tag : target->tags)
    if (tag.size() < 7 || tag.compare(tag.size() - 7, 7, ":latest") != 0) info.reference = tag;
  result.to = ref_of(info);
  result.was_running = container_runs(engine, server);
  std::optional<nlohmann::json> before =
      tester::recorded_toolset(state, server.name, current->version);
  std::optional<nlohmann::json> after = tester::recorded_toolset(state, server.name, info.version);
  if (before && after) {
    result.tools = tester::diff_toolsets(*before, *after);
    result.tools_known = true;
  }
  if (!result.was_running) {
    images::promote_image(engine, server.name, info.id);
    result.outcome = Outcome::kept;
    return finish(state, result, Action::rollback, target->source);
  }
  listener.step(server.name, "Starting " + info.version + " on the same port...");
  Replacement replacement{
      server,        image_ref(info), image_ref(*current), images::container_args(server),
      options.start, Action::rollback};
  Guard guard(state.home(), server.name);
  try {
    result.url = replace_container(engine, http, state, replacement).url;
    guard.replacement_ended();
  } catch (const ReplaceFailed& error) {
    guard.replacement_ended();
    result.log_tail = error.log_tail();
    return finish(state,
                  failed(result, error.put_back() ? Outcome::rolled_back : Outcome::failed,
                         "replace", error.problem()),
                  Action::rollback, target->source);
  }
  result.outcome = Outcome::kept;
  return finish(state, result, Action::rollback, target->source);
}

}  // namespace ccmcp::updates
