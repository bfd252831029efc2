// tool.sensitive-path and tool.exfiltration (tool_rules.h).
#include <algorithm>
#include <cctype>
#include <set>

#include "testing/tool_rules.h"

namespace ccmcp::tester {

namespace {

// ---- credential files -----------------------------------------------------------

// Where credentials live. A strong entry fails wherever it appears: no tool
// needs to tell the model about ~/.ssh, id_rsa or /etc/shadow. A weak entry
// (.env, ~/.aws, .npmrc, mcp.json, "private key", ...) has innocent uses ("reads
// settings from .env") and fails only when the same sentence also tells the
// model to read it and hand it on (see handing_on_sentences).
struct SensitivePath {
  const char* needle;
  bool strong;
};

constexpr SensitivePath kSensitivePaths[] = {
    {".ssh", true},
    {"id_rsa", true},
    {"id_dsa", true},
    {"id_ecdsa", true},
    {"id_ed25519", true},
    {"authorized_keys", true},
    {"/etc/shadow", true},
    {"/etc/sudoers", true},
    {".gnupg", true},
    {".env", false},
    {".aws", false},
    {"credentials.json", false},
    {".npmrc", false},
    {".netrc", false},
    {".pypirc", false},
    {".git-credentials", false},
    {"/etc/passwd", false},
    {"mcp.json", false},
    {"claude_desktop_config.json", false},
    {".kube/config", false},
    {".docker/config.json", false},
};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The sentences that tell the model to take a file's content and hand it on:
// a handing verb (pass, send, include, ...) together with a reading verb or
// the content itself ("read X and pass its content"). "Include .env files in
// the search" and "path to the .env file" are not among them.
std::vector<bool> handing_on_sentences(const std::vector<Word>& words) {
  static const std::set<std::string> hand_on = {
      "pass",  "send", "include",    "upload",  "attach", "append", "forward", "post",
      "share", "leak", "exfiltrate", "provide", "paste",  "embed",  "submit",  "transmit"};
  static const std::set<std::string> take = {"read",   "cat",   "open",    "print",   "dump",
                                             "output", "copy",  "extract", "content", "contents",
                                             "its",    "their", "value",   "values"};
  const size_t sentences = words.empty() ? 0 : words.back().sentence + 1;
  std::vector<bool> hands(sentences), takes(sentences), both(sentences);
  for (const Word& w : words) {
    if (hand_on.contains(w.text)) hands[w.sentence] = true;
    if (take.contains(w.text)) takes[w.sentence] = true;
  }
  for (size_t i = 0; i < sentences; ++i) both[i] = hands[i] && takes[i];
  return both;
}

}  // namespace

std::optional<Hit> find_sensitive_path(std::string_view text, const std::string& low,
                                       const std::vector<Word>& words) {
  const std::vector<bool> handing_on = handing_on_sentences(words);
  std::optional<Hit> best;
  auto consider = [&](size_t begin, size_t end, bool strong) {
    if (best && best->begin <= begin) return;
    if (!strong) {
      if (words.empty()) return;
      const size_t word = std::min(word_at(words, begin), words.size() - 1);
      if (!handing_on[words[word].sentence]) return;
    }
    // The whole path the text names: "~/.cursor/mcp.json", not just "mcp.json".
    auto is_path_char = [&](char c) {
      return !std::isspace(static_cast<unsigned char>(c)) &&
             std::string_view("\"'`()[]{}<>,").find(c) == std::string_view::npos;
    };
    const size_t first = begin > 120 ? begin - 120 : 0, last = std::min(text.size(), end + 120);
    while (begin > first && is_path_char(text[begin - 1])) --begin;
    while (end < last && is_path_char(text[end])) ++end;
    while (end > begin + 1 &&
           std::string_view(".;:!?").find(text[end - 1]) != std::string_view::npos) {
      --end;
    }
    const std::string path = printable(text.substr(begin, end - begin), 60);
    best = Hit{begin, end,
               strong ? "points the model at " + path + ", where credentials are kept"
                      : "tells the model to hand on " + path + ", which holds secrets"};
  };
  for (const SensitivePath& entry : kSensitivePaths) {
    const std::string_view needle = entry.needle;
    for (size_t at = low.find(needle); at != std::string::npos; at = low.find(needle, at + 1)) {
      const size_t end = at + needle.size();
      // A word of its own: "process.env" and ".environment" are not ".env".
      if (needle[0] != '/' && at > 0 && is_name_char(low[at - 1])) continue;
      if (end < low.size() && is_name_char(low[end])) continue;
      consider(at, end, entry.strong);
    }
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text == "private" && words[i + 1].text.starts_with("key") &&
        words[i + 1].text.size() <= 4 && words[i].sentence == words[i + 1].sentence) {
      consider(words[i].begin, words[i + 1].end, false);
    }
  }
  return best;
}

// ---- exfiltration -------------------------------------------------------------

namespace {

struct Span {
  size_t begin;
  size_t end;
};

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// Places data can be sent to: URLs of network schemes, e-mail addresses, IPv4
// addresses and bare host names under common top-level domains (not file
// names such as mcp.json or node.js).
std::vector<Span> destinations(const std::string& low) {
  static const std::set<std::string> schemes = {"http", "https", "ftp", "ftps", "sftp",  "ws",
                                                "wss",  "smtp",  "tcp", "udp",  "gopher"};
  static const std::set<std::string> domains = {
      "com", "net",  "org",   "io",   "ai",    "dev",    "app",  "xyz", "ru",
      "cn",  "info", "biz",   "co",   "site",  "online", "top",  "cc",  "tk",
      "pw",  "link", "click", "live", "cloud", "tech",   "store"};
  std::vector<Span> found;
  std::vector<bool> covered(low.size());
  auto add = [&](size_t begin, size_t end) {
    found.push_back({begin, end});
    std::fill(covered.begin() + static_cast<long>(begin), covered.begin() + static_cast<long>(end),
              true);
  };
  for (size_t at = low.find("://"); at != std::string::npos; at = low.find("://", at + 3)) {
    size_t begin = at;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(low[begin - 1]))) --begin;
    if (!schemes.contains(low.substr(begin, at - begin))) continue;
    size_t end = at + 3;
    while (end < low.size() && !std::isspace(static_cast<unsigned char>(low[end])) &&
           std::string_view("\"'`<>()[]{}").find(low[end]) == std::string_view::npos) {
      ++end;
    }
    while (end > at + 3 &&
           std::string_view(".,;:!?").find(low[end - 1]) != std::string_view::npos) {
      --end;
    }
    if (end > at + 3) add(begin, end);
  }
  for (size_t at = low.find('@'); at != std::string::npos; at = low.find('@', at + 1)) {
    if (covered[at]) continue;
    size_t begin = at;
    while (begin > 0 && (is_host_char(low[begin - 1]) ||
                         std::string_view("_%+").find(low[begin - 1]) != std::string_view::npos)) {
      --begin;
    }
    size_t end = at + 1;
    while (end < low.size() && is_host_char(low[end])) ++end;
    while (end > at + 1 && (low[end - 1] == '.' || low[end - 1] == '-')) --end;
    const size_t dot = low.rfind('.', end - 1);
    if (begin == at || dot == std::string::npos || dot <= at + 1 || end - dot < 3) continue;
    add(begin, end);
  }
  // Runs of host characters: IPv4 addresses and host names.
  for (size_t at = 0; at < low.size();) {
    if (!is_host_char(low[at]) || covered[at]) {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < low.size() && is_host_char(low[end])) ++end;
    const size_t next = end;
    while (end > at && (low[end - 1] == '.' || low[end - 1] == '-')) --end;
    const std::string run = low.substr(at, end - at);
    const bool after_path =
        at > 0 && std::string_view("/@_\\").find(low[at - 1]) != std::string_view::npos;
    std::vector<std::string> labels;
    for (size_t from = 0;;) {
      const size_t dot = run.find('.', from);
      labels.push_back(run.substr(from, dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    const bool no_empty =
        std::none_of(labels.begin(), labels.end(), [](const std::string& l) { return l.empty(); });
    const bool ipv4 =
        labels.size() == 4 && no_empty &&
        std::all_of(labels.begin(), labels.end(), [](const std::string& l) {
          return l.size() <= 3 &&
                 std::all_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 std::stoi(l) <= 255;
        });
    const bool host = labels.size() >= 2 && no_empty && domains.contains(labels.back());
    if (!after_path && (ipv4 || host)) add(at, end);
    at = next;
  }
  std::sort(found.begin(), found.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return found;
}

}  // namespace

// An instruction to send data somewhere: a sending verb, then "to", then a
// destination, in one sentence ("pass its content to https://x.example/c").
// A URL alone is documentation; "send a request to https://api..." is how a
// client tool describes itself, so requests and queries do not count.
std::optional<Hit> find_exfiltration(std::string_view text, const std::string& low,
                                     const std::vector<Word>& words) {
  static const std::set<std::string> verbs = {"send",     "post",       "upload", "forward",
                                              "transmit", "exfiltrate", "leak",   "pass",
                                              "deliver",  "relay",      "beacon", "copy"};
  static const std::set<std::string> harmless = {"request", "requests", "query", "queries", "ping"};
  // What may stand between "to" and the destination: "to the server at
  // https://...". Other words mean the URL is not where the data goes ("pass
  // the URL to fetch, e.g. https://...").
  static const std::set<std::string> connectors = {
      "the",       "a",      "an",     "this",     "that", "my",      "our",
      "following", "remote", "server", "endpoint", "url",  "address", "host",
      "webhook",   "site",   "api",    "at",       "via"};
  for (const Span& destination : destinations(low)) {
    const size_t at = word_at(words, destination.begin);
    if (at == 0 || at >= words.size()) continue;
    const size_t sentence = words[at].sentence;
    std::optional<size_t> to;
    for (size_t i = at; i-- > 0 && at - i <= 4 && words[i].sentence == sentence;) {
      if (words[i].text == "to" || words[i].text == "into") {
        to = i;
        break;
      }
      if (!connectors.contains(words[i].text)) break;
    }
    if (!to) continue;
    for (size_t i = *to; i-- > 0 && *to - i <= 10 && words[i].sentence == sentence;) {
      if (harmless.contains(words[i].text)) break;
      if (!verbs.contains(words[i].text)) continue;
      return Hit{
          words[i].begin, destination.end,
          "tells the model to send data to " +
              printable(text.substr(destination.begin, destination.end - destination.begin), 80)};
    }
  }
  return std::nullopt;
}

}  // namespace ccmcp::tester
