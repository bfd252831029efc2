#include "config/units.h"

#include <charconv>
#include <cmath>
#include <regex>

namespace ccmcp::config {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A plain decimal: digits, optionally one '.' and more digits. No sign, no
// exponent, no spaces: what a person writes in a config.
std::optional<double> parse_decimal(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return std::nullopt;
  int dots = 0;
  for (char c : text) {
    if (c == '.') {
      if (++dots > 1) return std::nullopt;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  std::string s = lower(text);
  if (s.size() > 1 && s.back() == 'b' && !std::isdigit(static_cast<unsigned char>(s[s.size() - 2])))
    s.pop_back();  // "512mb" -> "512m"
  else if (s.size() > 1 && s.back() == 'b')
    s.pop_back();  // "1024b" -> "1024"
  uint64_t unit = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k':
        unit = 1ull << 10;
        break;
      case 'm':
        unit = 1ull << 20;
        break;
      case 'g':
        unit = 1ull << 30;
        break;
      case 't':
        unit = 1ull << 40;
        break;
      default:
        break;
    }
    if (unit != 1) s.pop_back();
  }
  auto number = parse_decimal(s);
  if (!number) return std::nullopt;
  double bytes = *number * static_cast<double>(unit);
  if (bytes >= 18446744073709551615.0) return std::nullopt;
  return static_cast<uint64_t>(std::llround(bytes));
}

std::string format_size(uint64_t bytes) {
  const std::pair<uint64_t, const char*> units[] = {
      {1ull << 40, "t"}, {1ull << 30, "g"}, {1ull << 20, "m"}, {1ull << 10, "k"}};
  for (auto [unit, suffix] : units)
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + suffix;
  return std::to_string(bytes);
}

std::optional<double> parse_cpus(std::string_view text) {
  auto value = parse_decimal(text);
  if (!value || *value <= 0) return std::nullopt;
  return value;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start || i == text.size() || i - start > 9) return std::nullopt;
    uint64_t number = 0;
    std::from_chars(text.data() + start, text.data() + i, number);
    uint64_t unit = 0;
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return std::nullopt;
    }
    total += number * unit;
    ++i;
  }
  return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds duration) {
  int64_t s = duration.count();
  const std::pair<int64_t, const char*> units[] = {
      {7 * 86400, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  if (s == 0) return "0s";
  std::string out;
  for (auto [unit, suffix] : units) {
    if (s >= unit) {
      out += std::to_string(s / unit) + suffix;
      s %= unit;
    }
  }
  return out;
}

bool is_valid_server_name(std::string_view name) {
  static const std::regex pattern("[a-z0-9][a-z0-9._-]{0,62}");
  return std::regex_match(name.begin(), name.end(), pattern);
}

bool is_valid_env_name(std::string_view name) {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(name.begin(), name.end(), pattern);
}

bool is_valid_image_reference(std::string_view ref) {
  // Docker's grammar, simplified: path components are lowercase; the first
  // may be a registry host (with a dot, a colon or "localhost").
  static const std::regex pattern(
      "(([a-zA-Z0-9.-]+(:[0-9]+)?)/)?"
      "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
      "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
      "(@sha256:[a-f0-9]{64})?");
  return ref.size() <= 255 && std::regex_match(ref.begin(), ref.end(), pattern);
}

bool is_valid_npm_package(std::string_view name) {
  static const std::regex pattern("(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*");
  return name.size() <= 214 && std::regex_match(name.begin(), name.end(), pattern);
}

}  // namespace ccmcp::config
