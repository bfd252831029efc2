#include "util/redact.h"

#include <algorithm>

namespace ccmcp {

Redactor::Redactor(std::vector<std::string> values) : values_(std::move(values)) {
  values_.erase(std::remove(values_.begin(), values_.end(), std::string()), values_.end());
  std::sort(values_.begin(), values_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const auto& value : values_) {
    size_t at = 0;
    while ((at = out.find(value, at)) != std::string::npos) {
      out.replace(at, value.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return out;
}

}  // namespace ccmcp
