#include "updates/replace.h"

#include <unistd.h>

#include "config/effective.h"
#include "docker/containers.h"
#include "images/ensure.h"
#include "mcp/http_session.h"
#include "runtime/containers.h"
#include "updates/fault_point.h"

namespace ccmcp::updates {

using Json = nlohmann::ordered_json;

std::string previous_container_name(const std::string& container) {
  return container + "-previous";
}

namespace {

VersionRef ref_of(const runtime::ImageRef& image) {
  return {image.version, "", image.id};
}

void rename_container(docker::Engine& engine, const std::string& from, const std::string& to) {
  engine.post("/containers/" + docker::url_encode(from) + "/rename?name=" + docker::url_encode(to),
              nullptr, "container " + quote(from));
}

// Puts mcp-NAME-previous back under its name and starts it (its container
// as it was: the same config and image, so bring_up only starts it).
runtime::StartReport put_back(docker::Engine& engine, net::HttpClient& http,
                              runtime::StateStore& state, const Replacement& replacement) {
  const config::Server& server = replacement.server;
  std::string container = config::container_name_of(server);
  std::string previous = previous_container_name(container);
  runtime::remove_managed(engine, container, server.name, std::chrono::seconds(2));
  if (runtime::find_managed(engine, previous, server.name))
    rename_container(engine, previous, container);
  images::promote_image(engine, server.name, replacement.previous.id);
  return runtime::start_docker_server(engine, http, state, server, replacement.previous,
                                      replacement.args, replacement.start);
}

}  // namespace

void write_journal(runtime::StateStore& state, const Journal& journal) {
  Json entry = {{"container", journal.container},
                {"step", journal.step},
                {"action", journal.action},
                {"from", to_json(journal.from)},
                {"to", to_json(journal.to)},
                {"port", journal.port},
                {"pid", journal.pid}};
  state.update(
      [&](Json& root) { root["servers"][journal.server]["updates"]["inProgress"] = entry; });
}

void clear_journal(runtime::StateStore& state, const std::string& server) {
  state.update([&](Json& root) {
    if (!root["servers"].contains(server)) return;
    Json& entry = root["servers"][server];
    if (entry.contains("updates") && entry["updates"].is_object())
      entry["updates"].erase("inProgress");
  });
}

std::optional<Journal> read_journal(const runtime::StateStore& state, const std::string& server) {
  auto entry = state.server(server);
  if (!entry || !entry->contains("updates") || !(*entry)["updates"].is_object() ||
      !(*entry)["updates"].contains("inProgress"))
    return std::nullopt;
  const Json& json = (*entry)["updates"]["inProgress"];
  if (!json.is_object()) return std::nullopt;
  Journal journal;
  journal.server = server;
  journal.container = json.value("container", "");
  journal.step = json.value("step", "");
  journal.action = json.value("action", "update");
  journal.from = version_ref_from_json(json.value("from", Json::object()));
  journal.to = version_ref_from_json(json.value("to", Json::object()));
  journal.port = json.value("port", 0);
  journal.pid = json.value("pid", 0);
  return journal;
}

runtime::StartReport replace_container(docker::Engine& engine, net::HttpClient& http,
                                       runtime::StateStore& state, const Replacement& replacement) {
  const config::Server& server = replacement.server;
  std::string container = config::container_name_of(server);
  std::string previous = previous_container_name(container);
  // One left by a replacement that was never recovered: the running
  // mcp-NAME is what serves now.
  runtime::remove_managed(engine, previous, server.name, std::chrono::seconds(2));

  Journal journal;
  journal.server = server.name;
  journal.container = container;
  journal.step = "replacing";
  journal.action = to_string(replacement.action);
  journal.from = ref_of(replacement.previous);
  journal.to = ref_of(replacement.next);
  journal.port = state.ensure_port(server.name);
  journal.pid = static_cast<int>(getpid());
  write_journal(state, journal);
  fault_point("replace");

  if (runtime::find_managed(engine, container, server.name)) {
    rename_container(engine, container, previous);
    runtime::stop_managed(engine, previous, server.name);
  }
  fault_point("stopped");
  try {
    runtime::StartReport report = runtime::start_docker_server(
        engine, http, state, server, replacement.next, replacement.args, replacement.start);
    fault_point("started");
    images::promote_image(engine, server.name, replacement.next.id);
    runtime::remove_managed(engine, previous, server.name, std::chrono::seconds(2));
    clear_journal(state, server.name);
    return report;
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
      throw;  // the engine is gone: the guard puts things back once it answers
    std::vector<std::string> tail;
    if (auto* failed = dynamic_cast<const runtime::StartFailed*>(&error)) tail = failed->log_tail();
    bool back = false;
    std::string why_not;
    try {
      put_back(engine, http, state, replacement);
      back = true;
    } catch (const Error& again) {
      why_not = again.message();
    }
    clear_journal(state, server.name);
    Error reason(
        error.kind(), quote(server.name),
        "version " + replacement.next.version + " did not answer: " + error.problem() +
            (back ? ""
                  : "; putting back " + replacement.previous.version + " failed too: " + why_not),
        back ? "" : "cc-mcp logs " + server.name + "; cc-mcp start " + server.name);
    throw ReplaceFailed(reason, tail, back);
  }
}

Recovery recover(docker::Engine& engine, runtime::StateStore& state, const std::string& server,
                 std::chrono::milliseconds timeout) {
  Recovery recovery;
  auto journal = read_journal(state, server);
  if (!journal) return recovery;
  recovery.acted = true;
  recovery.journal = *journal;
  std::string container = journal->container;
  std::string previous = previous_container_name(container);
  auto current = runtime::find_managed(engine, container, server);
  auto before = runtime::find_managed(engine, previous, server);
  std::string url = runtime::server_url(journal->port);

  auto answers = [&]() {
    mcp::ProbeOptions probe;
    probe.timeout = timeout;
    probe.subject = url;
    try {
      mcp::probe(url, probe);
      return true;
    } catch (const Error&) {
      return false;
    }
  };

  bool new_runs = current && runtime::state_of(*current) == "running" &&
                  current->value("Image", "") == journal->to.image;
  if (!before) {
    // Killed before the rename, or after the previous one was removed.
    if (current && runtime::state_of(*current) != "running")
      docker::start_container(engine, current->value("Id", ""));
    recovery.outcome = new_runs ? Outcome::kept : Outcome::rolled_back;
    recovery.detail =
        new_runs ? "the new version was already in place" : "nothing had been replaced yet";
    if (new_runs) images::promote_image(engine, server, journal->to.image);
  } else if (new_runs && answers()) {
    images::promote_image(engine, server, journal->to.image);
    runtime::remove_managed(engine, previous, server, std::chrono::seconds(2));
    recovery.outcome = Outcome::kept;
    recovery.detail = "the new version was running and answered";
  } else {
    if (current) runtime::remove_managed(engine, container, server, std::chrono::seconds(2));
    rename_container(engine, previous, container);
    docker::start_container(engine, container);
    if (!journal->from.image.empty()) images::promote_image(engine, server, journal->from.image);
    recovery.outcome = Outcome::rolled_back;
    recovery.detail = answers() ? "the previous version was put back and answers"
                                : "the previous version was put back but does not answer yet";
  }
  clear_journal(state, server);
  return recovery;
}

void record_recovery(runtime::StateStore& state, const std::string& server,
                     const Recovery& recovery, const std::string& why) {
  HistoryEntry entry;
  entry.at = std::chrono::system_clock::now();
  entry.action = Action::recover;
  entry.outcome = recovery.outcome;
  entry.from = recovery.journal.from;
  entry.to = recovery.journal.to;
  entry.step = recovery.journal.step;
  entry.reason = why + ": " + recovery.detail;
  append_history(state, server, entry);
}

}  // namespace ccmcp::updates
