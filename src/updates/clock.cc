#include "updates/clock.h"

namespace ccmcp::updates {

std::string describe_age(TimePoint then, TimePoint now) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  if (seconds < 5) return "just now";  // also a clock that went back a little
  if (seconds < 60) return std::to_string(seconds) + "s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + "h ago";
  return std::to_string(seconds / 86400) + "d ago";
}

}  // namespace ccmcp::updates
