// One POST /build of the legacy builder: the context tar streamed from its
// file, the JSON answer read as it comes, steps and lines handed to the
// reporter, and the last lines kept for the message when it fails. Tags are
// given with the request, so the engine sets them only when the build
// succeeded: a failed build leaves every tag where it was.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/model.h"
#include "docker/engine.h"
#include "images/reporter.h"

namespace ccmcp::images {

struct BuildRequest {
  std::string server;  // names the build in messages
  std::filesystem::path context_tar;
  std::string dockerfile = "Dockerfile";  // its path inside the context
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;
  config::StringPairs build_args;
  bool no_cache = false;
  bool network = false;  // false: networkmode=none, RUN steps reach nothing
};

// The query string of the request (without the leading '?').
std::string build_query(const BuildRequest& request);

// Watches the JSON messages of a build: steps, lines, the image id, the error.
class BuildProgress {
 public:
  explicit BuildProgress(BuildReporter& reporter, size_t tail_lines = 15)
      : reporter_(reporter), tail_lines_(tail_lines) {}
  void on_message(const docker::Json& message);

  const std::string& image_id() const { return image_id_; }
  const std::string& error() const { return error_; }
  const std::deque<std::string>& tail() const { return tail_; }
  int step() const { return step_; }
  int total() const { return total_; }
  const std::string& step_text() const { return step_text_; }

 private:
  void line(const std::string& text);
  BuildReporter& reporter_;
  size_t tail_lines_;
  std::string partial_;  // a stream text not yet ended by a newline
  std::deque<std::string> tail_;
  std::string image_id_, error_, step_text_;
  int step_ = 0, total_ = 0;
};

// Runs the build; returns the new image's id. Throws Error (build) with the
// failing step and the last lines of its output.
std::string run_build(docker::Engine& engine, const BuildRequest& request, BuildReporter& reporter);

}  // namespace ccmcp::images
