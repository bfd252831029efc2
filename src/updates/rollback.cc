// rollback: a kept image made current again, switched on the same port the
// way an update is (replace.h), and checked through its URL.
#include "config/effective.h"
#include "docker/containers.h"
#include "images/catalog.h"
#include "testing/test_record.h"
#include "updates/guard.h"
#include "updates/replace.h"
#include "updates/update.h"
#include "updates/update_run.h"
#include "util/strings.h"

namespace ccmcp::updates {

using namespace detail;

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
      std::vector<std::string> listed;
      for (const auto& record : kept)
        if (!record.tags.empty() && !record.version.empty())
          listed.push_back(record.version + (record.id == current->id ? " (current)" : ""));
      std::string versions = join(listed, ", ");
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
  Replacement replacement{server,
                          images::image_ref(info),
                          images::image_ref(*current),
                          images::container_args(server),
                          options.start,
                          Action::rollback};
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
