#include "images/build_request.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <regex>

#include "images/engine_images.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/unique_fd.h"

namespace ccmcp::images {

std::string build_query(const BuildRequest& request) {
  std::string query = "dockerfile=" + docker::url_encode(request.dockerfile);
  for (const auto& tag : request.tags) query += "&t=" + docker::url_encode(tag);
  // Intermediate containers go, even when a step fails: nothing half-made.
  query += "&rm=1&forcerm=1";
  if (request.no_cache) query += "&nocache=1";
  query += std::string("&networkmode=") + (request.network ? "default" : "none");
  if (!request.labels.empty())
    query += "&labels=" + docker::url_encode(docker::Json(request.labels).dump());
  if (!request.build_args.empty()) {
    docker::Json args = docker::Json::object();
    for (const auto& [key, value] : request.build_args) args[key] = value;
    query += "&buildargs=" + docker::url_encode(args.dump());
  }
  return query;
}

void BuildProgress::line(const std::string& text) {
  static const std::regex step_line(R"(Step (\d+)/(\d+) : (.*))");
  std::smatch match;
  if (std::regex_match(text, match, step_line)) {
    step_ = std::stoi(match[1]);
    total_ = std::stoi(match[2]);
    step_text_ = match[3];
    reporter_.step(step_, total_, step_text_);
  }
  reporter_.output(text);
  tail_.push_back(text);
  while (tail_.size() > tail_lines_) tail_.pop_front();
}

void BuildProgress::on_message(const docker::Json& message) {
  if (!message.is_object()) return;
  if (auto stream = message.find("stream"); stream != message.end() && stream->is_string()) {
    partial_ += stream->get<std::string>();
    for (size_t newline; (newline = partial_.find('\n')) != std::string::npos;) {
      std::string text = partial_.substr(0, newline);
      partial_.erase(0, newline + 1);
      while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
      if (!text.empty()) line(text);
    }
  }
  if (auto status = message.find("status"); status != message.end() && status->is_string())
    line(status->get<std::string>());  // a base pulled during the build
  if (auto aux = message.find("aux");
      aux != message.end() && aux->is_object() && aux->contains("ID") && (*aux)["ID"].is_string())
    image_id_ = (*aux)["ID"].get<std::string>();
  if (auto error = message.find("error"); error != message.end() && error->is_string()) {
    error_ = error->get<std::string>();
    while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
  }
}

std::string run_build(docker::Engine& engine, const BuildRequest& request,
                      BuildReporter& reporter) {
  UniqueFd context(::open(request.context_tar.c_str(), O_RDONLY | O_CLOEXEC));
  if (!context)
    throw Error(ErrorKind::io, request.context_tar.string(),
                "cannot read: " + system_problem(errno));
  net::HttpRequest http;
  http.method = "POST";
  http.url = "/build?" + build_query(request);
  http.headers.push_back("Content-Type: application/x-tar");
  http.body_reader = [&](char* buffer, size_t size) -> size_t {
    for (;;) {
      ssize_t n = ::read(context.get(), buffer, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR)
        throw Error(ErrorKind::io, request.context_tar.string(),
                    "cannot read: " + system_problem(errno));
    }
  };
  BuildProgress progress(reporter);
  std::string engine_refusal;
  try {
    stream_json(engine, std::move(http), quote(request.server),
                [&](const docker::Json& message) { progress.on_message(message); });
  } catch (const docker::EngineError& error) {
    engine_refusal = error.problem();
  }
  if (progress.error().empty() && engine_refusal.empty() && !progress.image_id().empty())
    return progress.image_id();

  std::string problem = "the image build failed";
  if (progress.step() > 0)
    problem += " at step " + std::to_string(progress.step()) + "/" +
               std::to_string(progress.total()) + " (" + progress.step_text() + ")";
  std::string reason = !progress.error().empty() ? progress.error()
                       : !engine_refusal.empty() ? engine_refusal
                                                 : "the engine named no image";
  problem += ": " + reason;
  if (!progress.tail().empty()) {
    problem += "; its last lines:";
    for (const auto& text : progress.tail()) problem += "\n    | " + text;
    problem += "\n";
  }
  throw Error(ErrorKind::build, quote(request.server), problem,
              "its previous image and tags are unchanged; -v shows the whole build");
}

}  // namespace ccmcp::images
