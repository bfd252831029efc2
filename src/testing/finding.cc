#include "testing/finding.h"

namespace ccmcp::tester {

const char* to_string(Status status) {
  switch (status) {
    case Status::pass:
      return "pass";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "fail";
  }
  return "?";
}

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warn:
      return "warn";
    case Severity::fail:
      return "fail";
  }
  return "?";
}

Status status_of(const Findings& findings) {
  Status worst = Status::pass;
  for (const auto& finding : findings) {
    if (finding.severity == Severity::fail) return Status::fail;
    if (finding.severity == Severity::warn) worst = Status::warn;
  }
  return worst;
}

nlohmann::ordered_json to_json(const Finding& finding) {
  nlohmann::ordered_json out = {{"rule", finding.rule},
                                {"severity", to_string(finding.severity)},
                                {"message", finding.message},
                                {"evidence", finding.evidence}};
  if (!finding.excerpt.empty()) out["excerpt"] = finding.excerpt;
  return out;
}

}  // namespace ccmcp::tester
