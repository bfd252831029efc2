// Times as text: RFC 3339 in UTC to the second, "2026-12-07T14:10:38Z", the
// form of image labels (org.opencontainers.image.created) and of the state.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace ccmcp {

std::string to_rfc3339(std::chrono::system_clock::time_point when);

// The inverse, for exactly that form; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text);

}  // namespace ccmcp
