#include "updates/check.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "config/effective.h"
#include "images/engine_images.h"
#include "images/naming.h"
#include "sources/git.h"
#include "util/elapsed.h"
#include "util/error.h"
#include "util/semver.h"

namespace ccmcp::updates {

namespace {

using Json = nlohmann::ordered_json;

std::string describe_source(const images::ImagePlan& plan) {
  const config::Source& source = plan.source;
  switch (plan.kind) {
    case images::SourceKind::npm:
      return "npm " + source.package + (source.version.empty() ? "" : "@" + source.version);
    case images::SourceKind::git:
      return "git " + source.repository + " (" + sources::describe_git_ref(source) + ")";
    case images::SourceKind::local:
      return "local " + source.local_path.string();
    default:
      return images::to_string(plan.kind);
  }
}

CurrentVersion current_of(docker::Engine& engine, const std::string& name) {
  CurrentVersion current;
  auto image = images::inspect_image(engine, images::repository_of(name) + ":latest");
  if (!image || image->label(images::label::name) != name) return current;
  current.built = true;
  current.version = image->label(images::label::cc_version);
  current.commit = image->label(images::label::commit);
  return current;
}

// The last check of `name` kept in the state, or an empty object.
std::string text_of(const Json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

}  // namespace

bool at_pin(const std::string& kind, const CurrentVersion& current, const std::string& pin) {
  if (current.version == pin) return true;
  // a commit named by a prefix of its id
  return kind == "git" && pin.size() >= 7 && !current.commit.empty() &&
         current.commit.rfind(pin, 0) == 0;
}

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::up_to_date:
      return "up to date";
    case Verdict::available:
      return "update available";
    case Verdict::not_built:
      return "not built";
    case Verdict::pinned:
      return "pinned";
    case Verdict::unknown:
      return "unknown";
  }
  return "unknown";
}

Verdict decide(const std::string& kind, const CurrentVersion& current,
               const LatestVersion& latest) {
  if (latest.version.empty()) return Verdict::unknown;
  if (!current.built) return Verdict::not_built;
  auto differs = [&] {
    if (kind == "git" && !latest.commit.empty() && !current.commit.empty())
      return latest.commit != current.commit;
    auto have = parse_semver(current.version);
    auto offered = parse_semver(latest.version);
    if (have && offered) return compare(*offered, *have) > 0;
    return latest.version != current.version;
  };
  if (latest.pinned) {
    // mcp.json names a version: the image must be that one (else building
    // brings it there), and a newer one is only shown.
    if (!at_pin(kind, current, latest.pinned_to)) return Verdict::available;
    return differs() ? Verdict::pinned : Verdict::up_to_date;
  }
  return differs() ? Verdict::available : Verdict::up_to_date;
}

Verdict UpdateCheck::verdict() const {
  return decide(kind, current, latest);
}

bool has_update_source(const config::Server& server) {
  if (server.mode != config::Mode::docker) return false;
  try {
    auto kind = images::plan_image(server).kind;
    return kind == images::SourceKind::npm || kind == images::SourceKind::git ||
           kind == images::SourceKind::local;
  } catch (const Error&) {
    return false;
  }
}

std::vector<UpdateCheck> check_updates(docker::Engine& engine,
                                       const std::vector<const config::Server*>& servers,
                                       const runtime::StateStore& state, const Clock& clock,
                                       const CheckOptions& options) {
  Json kept = state.load();
  std::vector<UpdateCheck> checks;
  std::vector<images::ImagePlan> plans;
  for (const auto* server : servers) {
    images::ImagePlan plan = images::plan_image(*server);
    UpdateCheck check;
    check.name = server->name;
    check.kind = images::to_string(plan.kind);
    check.source = describe_source(plan);
    check.policy = config::to_string(server->source && server->source->update_policy
                                         ? *server->source->update_policy
                                         : config::Defaults::update_policy);
    check.current = current_of(engine, server->name);  // the engine is asked from here only
    checks.push_back(std::move(check));
    plans.push_back(std::move(plan));
  }

  // Every source at once, up to options.parallel (each npm check is an npm
  // process of ~50 MB): the slowest one sets the time, not their sum.
  struct Answer {
    LatestVersion latest;
    std::string error;
    std::chrono::milliseconds took{0};
  };
  std::vector<Answer> answers(plans.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < plans.size(); i = next++) {
      Answer& answer = answers[i];
      auto began = std::chrono::steady_clock::now();
      try {
        answer.latest = latest_version(plans[i], options.timeout);
      } catch (const Error& error) {
        answer.error = error.problem();
      } catch (const std::exception& error) {
        answer.error = error.what();
      }
      answer.took = elapsed_since(began);
    }
  };
  std::vector<std::thread> workers;
  size_t count = std::min(plans.size(), std::max<size_t>(options.parallel, 1));
  for (size_t i = 0; i < count; ++i) workers.emplace_back(work);
  for (auto& worker : workers) worker.join();

  for (size_t i = 0; i < checks.size(); ++i) {
    Answer& answer = answers[i];
    UpdateCheck& check = checks[i];
    check.checked_at = clock.now();
    check.took = answer.took;
    if (answer.error.empty()) {
      check.latest = answer.latest;
      check.answered_at = check.checked_at;
      continue;
    }
    check.error = answer.error;
    // What the source said last time, marked by when.
    const Json* kept_record = kept_check(kept, check.name);
    Json last = kept_record ? *kept_record : Json::object();
    if (auto when = parse_rfc3339(text_of(last, "answeredAt"))) {
      check.answered_at = when;
      check.latest.version = text_of(last, "latest");
      check.latest.commit = text_of(last, "latestCommit");
      check.latest.pinned = last.value("pinned", false);
      check.latest.pinned_to = text_of(last, "pinnedTo");
    }
  }
  return checks;
}

const Json* kept_check(const Json& root, const std::string& server) {
  if (!root.is_object() || !root.contains("servers") || !root["servers"].is_object())
    return nullptr;
  const Json& servers = root["servers"];
  if (!servers.contains(server) || !servers[server].is_object()) return nullptr;
  const Json& entry = servers[server];
  if (!entry.contains("updates") || !entry["updates"].is_object() ||
      !entry["updates"].contains("check") || !entry["updates"]["check"].is_object())
    return nullptr;
  return &entry["updates"]["check"];
}

void record_checks(runtime::StateStore& state, const std::vector<UpdateCheck>& checks) {
  state.update([&](Json& all) {
    for (const auto& check : checks) {
      Json& server = all["servers"][check.name];
      if (!server.is_object()) server = Json::object();
      if (!server.contains("updates") || !server["updates"].is_object())
        server["updates"] = Json::object();
      Json record = {{"at", to_rfc3339(check.checked_at)},
                     {"current", check.current.version},
                     {"currentCommit", check.current.commit},
                     {"latest", check.latest.version},
                     {"latestCommit", check.latest.commit},
                     {"pinned", check.latest.pinned},
                     {"pinnedTo", check.latest.pinned_to},
                     {"verdict", to_string(check.verdict())},
                     {"available", check.verdict() == Verdict::available},
                     {"error", check.error},
                     {"answeredAt", check.answered_at ? to_rfc3339(*check.answered_at) : ""}};
      server["updates"]["check"] = std::move(record);
    }
  });
}

nlohmann::ordered_json to_json(const UpdateCheck& check) {
  Json out = {
      {"name", check.name},
      {"kind", check.kind},
      {"source", check.source},
      {"policy", check.policy},
      {"current", check.current.built ? Json(check.current.version) : Json(nullptr)},
      {"currentCommit", check.current.commit},
      {"latest", check.latest.version.empty() ? Json(nullptr) : Json(check.latest.version)},
      {"latestCommit", check.latest.commit},
      {"pinned", check.latest.pinned},
      {"pinnedTo", check.latest.pinned_to},
      {"verdict", to_string(check.verdict())},
      {"updateAvailable", check.verdict() == Verdict::available},
      {"error", check.error.empty() ? Json(nullptr) : Json(check.error)},
      {"checkedAt", to_rfc3339(check.checked_at)},
      {"answeredAt", check.answered_at ? Json(to_rfc3339(*check.answered_at)) : Json(nullptr)},
      {"seconds", static_cast<double>(check.took.count()) / 1000.0}};
  return out;
}

}  // namespace ccmcp::updates
