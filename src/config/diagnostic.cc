#include "config/diagnostic.h"

#include <algorithm>

namespace ccmcp::config {

std::string Diagnostic::format() const {
  std::string out = file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
  if (!path.empty()) out += path + ": ";
  out += problem;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

size_t count(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                           [&](const auto& d) { return d.severity == severity; }));
}

}  // namespace ccmcp::config
