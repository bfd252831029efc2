// Masks known secret values in text that leaves a process (logs), used by
// the bridge on its stderr and by the external supervisor on its log.
// Shared with the static bridge: standard library only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccmcp {

inline constexpr std::string_view kRedacted = "***";

class Redactor {
 public:
  Redactor() = default;
  // Empty values are ignored; longer values are masked first, so a value
  // that contains another is masked whole.
  explicit Redactor(std::vector<std::string> values);

  bool empty() const { return values_.empty(); }
  // `text` with every occurrence of every value replaced by "***".
  std::string apply(std::string_view text) const;

 private:
  std::vector<std::string> values_;
};

}  // namespace ccmcp
