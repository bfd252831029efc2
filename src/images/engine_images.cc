#include "images/engine_images.h"

#include "docker/streams.h"
#include "util/error.h"

namespace ccmcp::images {

namespace {

std::vector<std::string> strings_of(const docker::Json& value) {
  std::vector<std::string> out;
  if (value.is_array())
    for (const auto& item : value)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace

std::optional<LocalImage> inspect_image(docker::Engine& engine, const std::string& ref) {
  auto json = engine.get_if_exists("/images/" + docker::url_encode(ref) + "/json", quote(ref));
  if (!json || !json->is_object()) return std::nullopt;
  LocalImage image;
  image.id = json->value("Id", "");
  image.tags = strings_of(json->value("RepoTags", docker::Json::array()));
  image.created = json->value("Created", "");
  image.size = json->value("Size", int64_t{0});
  const docker::Json& config = json->contains("Config") && (*json)["Config"].is_object()
                                   ? (*json)["Config"]
                                   : docker::Json::object();
  image.entrypoint = strings_of(config.value("Entrypoint", docker::Json()));
  image.cmd = strings_of(config.value("Cmd", docker::Json()));
  image.workdir = config.value("WorkingDir", "");
  image.user = config.value("User", "");
  if (auto labels = config.find("Labels"); labels != config.end() && labels->is_object())
    for (const auto& [key, value] : labels->items())
      if (value.is_string()) image.labels[key] = value.get<std::string>();
  return image;
}

std::pair<std::string, std::string> split_image_reference(const std::string& ref) {
  if (auto at = ref.find('@'); at != std::string::npos)
    return {ref.substr(0, at), ref.substr(at + 1)};
  auto slash = ref.rfind('/');
  auto colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    return {ref.substr(0, colon), ref.substr(colon + 1)};
  return {ref, "latest"};
}

void stream_json(docker::Engine& engine, net::HttpRequest request, const std::string& subject,
                 const std::function<void(const docker::Json&)>& on_message) {
  std::string error_message;  // the {"message": ...} of an error status
  docker::JsonLineStream stream([&](const docker::Json& message) {
    if (message.is_object() && message.contains("message") && message["message"].is_string() &&
        !message.contains("stream") && !message.contains("status"))
      error_message = message["message"].get<std::string>();
    on_message(message);
  });
  request.on_body = [&](std::string_view chunk) {
    stream.feed(chunk);
    return true;
  };
  try {
    engine.call(std::move(request), subject);
    stream.finish();
  } catch (const docker::EngineError& error) {
    stream.finish();
    if (error_message.empty()) throw;
    throw docker::EngineError(error.status(), subject, "the Docker engine said: " + error_message,
                              error.hint());
  }
}

void pull_image(docker::Engine& engine, const std::string& ref, BuildReporter& reporter) {
  auto [from, tag] = split_image_reference(ref);
  reporter.note("pulling " + ref);
  net::HttpRequest request;
  request.method = "POST";
  request.url =
      "/images/create?fromImage=" + docker::url_encode(from) + "&tag=" + docker::url_encode(tag);
  request.idle_timeout = std::chrono::minutes(5);
  std::string failure;
  try {
    stream_json(engine, std::move(request), quote(ref), [&](const docker::Json& message) {
      if (!message.is_object()) return;
      if (message.contains("error") && message["error"].is_string())
        failure = message["error"].get<std::string>();
      else if (message.contains("status") && message["status"].is_string())
        reporter.output(message["status"].get<std::string>() +
                        (message.contains("id") ? " " + message.value("id", "") : ""));
    });
  } catch (const docker::EngineError& error) {
    failure = error.problem();
    const std::string prefix = "the Docker engine said: ";
    if (failure.rfind(prefix, 0) == 0) failure.erase(0, prefix.size());
  }
  if (failure.empty()) return;
  bool unreachable = false;
  for (const char* sign : {"no such host", "dial tcp", "i/o timeout", "connection refused",
                           "network is unreachable", "TLS handshake timeout"})
    unreachable = unreachable || failure.find(sign) != std::string::npos;
  throw Error(ErrorKind::build, quote(ref), "cannot pull the image: " + failure,
              unreachable ? "no registry can be reached from here; build it locally or use a source"
                          : "check the image name, or docker login for a private registry");
}

}  // namespace ccmcp::images
