// Time taken, for reports ("seconds" in --json, "in 1.2 s" for people).
#pragma once

#include <chrono>

namespace ccmcp {

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               began);
}

}  // namespace ccmcp
