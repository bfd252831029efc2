#include "config/diagnostic.h"

#include <algorithm>

namespace ccmcp::config {

std::string Diagnostic::format() const {
  // Line 0: about the whole source (a catalog that cannot be read), no place in a text.
  std::string out =
      pos.line > 0 ? file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": "
                   : file + ": ";
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
