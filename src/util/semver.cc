#include "util/semver.h"

#include <algorithm>
#include <cctype>

namespace ccmcp {
namespace {

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

// A numeric part: digits, no leading zero (SemVer 2.0 item 2), fits 64 bits.
std::optional<uint64_t> parse_number(std::string_view text) {
  if (!is_digits(text) || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Dot-separated identifiers of [0-9A-Za-z-], none empty.
std::optional<std::vector<std::string>> parse_identifiers(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) return std::nullopt;
    for (unsigned char c : part)
      if (!std::isalnum(c) && c != '-') return std::nullopt;
    out.emplace_back(part);
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

int compare_identifier(const std::string& a, const std::string& b) {
  bool a_numeric = is_digits(a), b_numeric = is_digits(b);
  if (a_numeric && b_numeric) {
    // Numbers of any length: parse_semver refused leading zeros, so the
    // longer is the larger.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  if (a_numeric != b_numeric) return a_numeric ? -1 : 1;  // numeric sorts first
  int order = a.compare(b);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace

std::optional<SemVer> parse_semver(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (!text.empty() && text.front() == '=') text.remove_prefix(1);
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);

  SemVer version;
  if (size_t plus = text.find('+'); plus != std::string_view::npos) {
    auto build = parse_identifiers(text.substr(plus + 1));
    if (!build) return std::nullopt;
    version.build = std::string(text.substr(plus + 1));
    text = text.substr(0, plus);
  }
  if (size_t dash = text.find('-'); dash != std::string_view::npos) {
    auto prerelease = parse_identifiers(text.substr(dash + 1));
    if (!prerelease) return std::nullopt;
    for (const auto& id : *prerelease)
      if (is_digits(id) && id.size() > 1 && id[0] == '0') return std::nullopt;
    version.prerelease = std::move(*prerelease);
    text = text.substr(0, dash);
  }
  uint64_t* parts[] = {&version.major, &version.minor, &version.patch};
  for (int i = 0; i < 3; ++i) {
    size_t dot = i < 2 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    auto number = parse_number(text.substr(0, dot));
    if (!number) return std::nullopt;
    *parts[i] = *number;
    text = i < 2 ? text.substr(dot + 1) : std::string_view();
  }
  return version;
}

int compare(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  // A prerelease sorts before its release.
  if (a.prerelease.empty() || b.prerelease.empty())
    return a.prerelease.empty() == b.prerelease.empty() ? 0 : (a.prerelease.empty() ? 1 : -1);
  size_t common = std::min(a.prerelease.size(), b.prerelease.size());
  for (size_t i = 0; i < common; ++i)
    if (int order = compare_identifier(a.prerelease[i], b.prerelease[i])) return order;
  if (a.prerelease.size() == b.prerelease.size()) return 0;
  return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
}

std::string to_string(const SemVer& version) {
  std::string out = std::to_string(version.major) + "." + std::to_string(version.minor) + "." +
                    std::to_string(version.patch);
  for (size_t i = 0; i < version.prerelease.size(); ++i)
    out += (i == 0 ? "-" : ".") + version.prerelease[i];
  if (!version.build.empty()) out += "+" + version.build;
  return out;
}

namespace {

// "20", "20.18", "20.x", "20.18.1": the numbers given (-1 for x, *, missing).
bool partial_version(std::string_view text, long parts[3]) {
  parts[0] = parts[1] = parts[2] = -1;
  if (!text.empty() && (text.front() == 'v' || text.front() == '=')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (int i = 0; i < 3 && !text.empty(); ++i) {
    size_t end = text.find('.');
    std::string_view part = text.substr(0, end);
    if (auto dash = part.find_first_of("-+"); dash != std::string_view::npos)
      part = part.substr(0, dash);
    if (part == "x" || part == "X" || part == "*") {
      parts[i] = -1;
    } else {
      if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
      parts[i] = std::stol(std::string(part));
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return true;
}

SemVer low(const long parts[3]) {
  SemVer v;
  v.major = parts[0] < 0 ? 0 : static_cast<uint64_t>(parts[0]);
  v.minor = parts[1] < 0 ? 0 : static_cast<uint64_t>(parts[1]);
  v.patch = parts[2] < 0 ? 0 : static_cast<uint64_t>(parts[2]);
  return v;
}

// The first version past an x-range: "20" -> 21.0.0, "20.18" -> 20.19.0.
SemVer past(const long parts[3]) {
  SemVer v = low(parts);
  if (parts[1] < 0) return SemVer{v.major + 1, 0, 0, {}, {}};
  if (parts[2] < 0) return SemVer{v.major, v.minor + 1, 0, {}, {}};
  return SemVer{v.major, v.minor, v.patch + 1, {}, {}};
}

// One comparator; false when it cannot be read (`readable` cleared).
bool comparator_accepts(const SemVer& v, std::string_view word, bool& readable) {
  std::string_view op;
  for (std::string_view candidate : {">=", "<=", ">", "<", "^", "~", "="})
    if (word.substr(0, candidate.size()) == candidate) {
      op = candidate;
      break;
    }
  word.remove_prefix(op.size());
  long parts[3];
  if (word.empty() || word == "*" || word == "x") return true;
  if (!partial_version(word, parts)) {
    readable = false;
    return true;
  }
  int at_low = compare(v, low(parts));
  if (op == ">=") return at_low >= 0;
  if (op == ">") return parts[2] < 0 ? compare(v, past(parts)) >= 0 : at_low > 0;
  if (op == "<=") return parts[2] < 0 ? compare(v, past(parts)) < 0 : at_low <= 0;
  if (op == "<") return at_low < 0;
  if (op == "^") {
    SemVer lo = low(parts), hi;
    if (lo.major > 0 || parts[1] < 0)
      hi = SemVer{lo.major + 1, 0, 0, {}, {}};
    else if (lo.minor > 0 || parts[2] < 0)
      hi = SemVer{0, lo.minor + 1, 0, {}, {}};
    else
      hi = SemVer{0, 0, lo.patch + 1, {}, {}};
    return at_low >= 0 && compare(v, hi) < 0;
  }
  if (op == "~") {
    SemVer lo = low(parts);
    SemVer hi = parts[1] < 0 ? SemVer{lo.major + 1, 0, 0, {}, {}}
                             : SemVer{lo.major, lo.minor + 1, 0, {}, {}};
    return at_low >= 0 && compare(v, hi) < 0;
  }
  return at_low >= 0 && compare(v, past(parts)) < 0;  // "=", or a bare x-range
}

}  // namespace

bool range_may_accept(const SemVer& version, std::string_view range) {
  bool readable = true;
  bool any = false;
  size_t start = 0;
  while (start <= range.size()) {
    size_t bar = range.find("||", start);
    std::string_view alternative =
        range.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::vector<std::string> words;
    std::string word;
    for (char c : alternative) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!word.empty()) words.push_back(word), word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) words.push_back(word);
    // "a - b" is ">=a <=b"; ">= 20" is ">=20"
    std::vector<std::string> comparators;
    for (size_t i = 0; i < words.size(); ++i) {
      if (i + 2 < words.size() && words[i + 1] == "-") {
        comparators.push_back(">=" + words[i]);
        comparators.push_back("<=" + words[i + 2]);
        i += 2;
      } else if ((words[i] == ">=" || words[i] == "<=" || words[i] == ">" || words[i] == "<" ||
                  words[i] == "^" || words[i] == "~" || words[i] == "=") &&
                 i + 1 < words.size()) {
        comparators.push_back(words[i] + words[i + 1]);
        ++i;
      } else {
        comparators.push_back(words[i]);
      }
    }
    bool all = true;
    for (const auto& comparator : comparators)
      all = comparator_accepts(version, comparator, readable) && all;
    any = any || all;
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return any || !readable;
}

}  // namespace ccmcp
