#include "util/error.h"

#include <nlohmann/json.hpp>

namespace ccmcp {

namespace {
std::string compose(const std::string& subject, const std::string& problem,
                    const std::string& hint) {
  std::string text = subject.empty() ? problem : subject + ": " + problem;
  if (!hint.empty()) text += " (" + hint + ")";
  return text;
}
}  // namespace

Error::Error(ErrorKind kind, std::string subject, std::string problem, std::string hint)
    : std::runtime_error(compose(subject, problem, hint)),
      kind_(kind),
      subject_(std::move(subject)),
      problem_(std::move(problem)),
      hint_(std::move(hint)) {}

std::string Error::message() const {
  return what();
}

std::string quote(std::string_view value) {
  // JSON string escaping is exactly what a reader needs to see control
  // characters and quotes unambiguously; invalid UTF-8 is replaced.
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ccmcp
