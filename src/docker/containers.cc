#include "docker/containers.h"

#include <cctype>
#include <ctime>

namespace ccmcp::docker {

namespace {

std::string container_path(const std::string& id) {
  return "/containers/" + url_encode(id);
}

std::string subject_of(const std::string& name) {
  return "container " + quote(name);
}

net::HttpRequest request_of(const std::string& method, std::string path,
                            std::chrono::milliseconds timeout) {
  net::HttpRequest request;
  request.method = method;
  request.url = std::move(path);
  request.timeout = timeout;
  return request;
}

}  // namespace

std::optional<Json> inspect_container(Engine& engine, const std::string& name) {
  return engine.get_if_exists(container_path(name) + "/json", subject_of(name));
}

std::optional<Json> inspect_image(Engine& engine, const std::string& reference) {
  return engine.get_if_exists("/images/" + url_encode(reference) + "/json",
                              "image " + quote(reference));
}

std::vector<Json> list_containers(Engine& engine, const std::vector<std::string>& labels) {
  Json filters = Json::object();
  if (!labels.empty()) filters["label"] = labels;
  Json answer = engine.get("/containers/json?all=1&filters=" + url_encode(filters.dump()));
  std::vector<Json> out;
  if (answer.is_array())
    for (auto& container : answer) out.push_back(std::move(container));
  return out;
}

std::string create_container(Engine& engine, const std::string& name, const Json& body) {
  Json answer = engine.post("/containers/create?name=" + url_encode(name), body, subject_of(name));
  if (!answer.is_object() || !answer.contains("Id") || !answer["Id"].is_string())
    throw Error(ErrorKind::engine, subject_of(name), "the engine created it but gave no id",
                "docker ps -a shows what is there");
  return answer["Id"].get<std::string>();
}

void start_container(Engine& engine, const std::string& id) {
  // 204 started, 304 already running.
  engine.call(request_of("POST", container_path(id) + "/start", std::chrono::seconds(60)),
              subject_of(id));
}

void stop_container(Engine& engine, const std::string& id, std::chrono::seconds grace) {
  // 204 stopped, 304 already stopped. The engine waits `grace`, then kills.
  engine.call(request_of("POST", container_path(id) + "/stop?t=" + std::to_string(grace.count()),
                         grace + std::chrono::seconds(30)),
              subject_of(id));
}

void restart_container(Engine& engine, const std::string& id, std::chrono::seconds grace) {
  engine.call(request_of("POST", container_path(id) + "/restart?t=" + std::to_string(grace.count()),
                         grace + std::chrono::seconds(60)),
              subject_of(id));
}

void remove_container(Engine& engine, const std::string& id, bool force) {
  engine.call_allow_404(request_of("DELETE", container_path(id) + (force ? "?force=1" : ""),
                                   std::chrono::seconds(60)),
                        subject_of(id));
}

Json container_stats(Engine& engine, const std::string& id, std::chrono::milliseconds timeout) {
  net::HttpResponse response = engine.call(
      request_of("GET", container_path(id) + "/stats?stream=false&one-shot=true", timeout),
      subject_of(id));
  Json stats = Json::parse(response.body, nullptr, false);
  if (stats.is_discarded())
    throw Error(ErrorKind::engine, subject_of(id), "the engine's stats were not JSON");
  return stats;
}

bool stream_logs(Engine& engine, const std::string& id, const LogOptions& options,
                 const LogDemuxer::Sink& sink) {
  std::string query = "stdout=1&stderr=1";
  if (options.follow) query += "&follow=1";
  if (options.timestamps) query += "&timestamps=1";
  if (!options.tail.empty()) query += "&tail=" + url_encode(options.tail);
  if (!options.since.empty()) query += "&since=" + url_encode(options.since);
  // Without follow the answer is finite: a time-out fits; with it, only
  // Ctrl-C (the cancel flag) or the container's stop ends it.
  net::HttpRequest request =
      request_of("GET", container_path(id) + "/logs?" + query,
                 options.follow ? std::chrono::milliseconds(0) : std::chrono::seconds(120));
  request.cancel = options.cancel;
  LogDemuxer demuxer(sink);
  demuxer.set_raw(options.raw);
  request.on_body = [&](std::string_view chunk) {
    demuxer.feed(chunk);
    return !(options.cancel && options.cancel->load());
  };
  try {
    net::HttpResponse response = engine.call(std::move(request), subject_of(id));
    return response.stopped;
  } catch (const Error&) {
    if (options.cancel && options.cancel->load()) return true;
    throw;
  }
}

std::map<std::string, std::string> labels_of(const Json& container) {
  std::map<std::string, std::string> out;
  const Json* labels = nullptr;
  if (container.contains("Config") && container["Config"].is_object() &&
      container["Config"].contains("Labels"))
    labels = &container["Config"]["Labels"];
  else if (container.contains("Labels"))
    labels = &container["Labels"];
  if (labels && labels->is_object())
    for (const auto& [key, value] : labels->items())
      if (value.is_string()) out[key] = value.get<std::string>();
  return out;
}

std::optional<EngineTime> parse_engine_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  auto digits = [&](size_t at, size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  if (*year <= 1) return std::nullopt;  // Go's zero time: "never"
  size_t at = 19;
  int64_t nanos = 0;
  if (at < text.size() && text[at] == '.') {
    int64_t scale = 100000000;
    for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at) {
      nanos += (text[at] - '0') * scale;
      scale /= 10;
    }
  }
  int64_t offset = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
    if (!oh || !om) return std::nullopt;
    offset = (text[at] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
  } else if (at >= text.size() || text[at] != 'Z') {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  int64_t seconds = static_cast<int64_t>(::timegm(&tm)) - offset;
  return EngineTime(std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos));
}

std::string unix_time_text(EngineTime time) {
  auto nanos = time.time_since_epoch().count();
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%lld.%09lld", static_cast<long long>(nanos / 1000000000),
                static_cast<long long>(nanos % 1000000000));
  return buffer;
}

}  // namespace ccmcp::docker
