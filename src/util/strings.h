// Small string helpers shared by the whole tool.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp {

size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, when it is near enough to be a likely
// typo (at most a third of the word's length, and at least one edit away
// from nothing); used for "did you mean ...?".
std::optional<std::string> nearest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace ccmcp
