#include "testing/secret_scan.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace ccmcp::tester {

namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_base64(char c) {
  return is_alnum(c) || c == '+' || c == '/' || c == '=';
}
bool is_token_char(char c) {
  return is_alnum(c) || c == '_' || c == '-';
}

// How many characters from `at` satisfy `accept`.
template <typename Accept>
size_t run_length(std::string_view text, size_t at, Accept accept) {
  size_t end = at;
  while (end < text.size() && accept(text[end])) ++end;
  return end - at;
}

std::string masked(std::string_view token) {
  size_t shown = std::min<size_t>(token.size(), 6);
  return std::string(token.substr(0, shown)) + "…(" + std::to_string(token.size()) + " chars)";
}

struct TokenShape {
  const char* prefix;
  const char* kind;
  size_t min_tail, max_tail;  // characters after the prefix
  bool (*accept)(char);
};

// Sources: the providers' documented token formats.
constexpr TokenShape kShapes[] = {
    {"AKIA", "AWS access key id", 16, 16, is_upper_or_digit},
    {"ASIA", "AWS temporary access key id", 16, 16, is_upper_or_digit},
    {"ghp_", "GitHub personal access token", 36, 36, is_alnum},
    {"gho_", "GitHub OAuth token", 36, 36, is_alnum},
    {"ghu_", "GitHub user token", 36, 36, is_alnum},
    {"ghs_", "GitHub server token", 36, 36, is_alnum},
    {"ghr_", "GitHub refresh token", 36, 36, is_alnum},
    {"github_pat_", "GitHub fine-grained token", 82, 82, is_token_char},
    {"glpat-", "GitLab personal access token", 20, 20, is_token_char},
    {"xoxb-", "Slack bot token", 20, 200, is_token_char},
    {"xoxp-", "Slack user token", 20, 200, is_token_char},
    {"xoxa-", "Slack app token", 20, 200, is_token_char},
    {"AIza", "Google API key", 35, 35, is_token_char},
    {"sk_live_", "Stripe secret key", 24, 99, is_alnum},
    {"rk_live_", "Stripe restricted key", 24, 99, is_alnum},
    {"sk-ant-", "Anthropic API key", 32, 200, is_token_char},
    {"sk-proj-", "OpenAI project key", 40, 200, is_token_char},
    {"npm_", "npm access token", 36, 36, is_alnum},
};

void find_tokens(std::string_view text, std::vector<SecretMatch>& out) {
  for (const auto& shape : kShapes) {
    std::string_view prefix = shape.prefix;
    for (size_t at = text.find(prefix); at != std::string_view::npos;
         at = text.find(prefix, at + 1)) {
      // A token starts a word: "xAKIA..." is part of something else.
      if (at > 0 && is_token_char(text[at - 1])) continue;
      size_t tail = run_length(text, at + prefix.size(), shape.accept);
      if (tail < shape.min_tail) continue;
      // Exactly-sized tokens must end there; "AKIA" + 20 chars is no key.
      if (shape.min_tail == shape.max_tail && tail != shape.max_tail) continue;
      if (tail > shape.max_tail) continue;
      std::string_view token = text.substr(at, prefix.size() + tail);
      if (token.find("EXAMPLE") != std::string_view::npos) continue;  // AWS's documentation keys
      // All one letter repeated ("AKIAXXXXXXXXXXXXXXXX") is a placeholder.
      std::string_view body = token.substr(prefix.size());
      if (std::all_of(body.begin(), body.end(), [&](char c) { return c == body.front(); }))
        continue;
      out.push_back({shape.kind, at, masked(token)});
    }
  }
}

// "-----BEGIN RSA PRIVATE KEY-----" followed by a line break (real or an
// escaped \n in source code) and key material; a header followed by
// code ("-----BEGIN PRIVATE KEY-----\n${body}") is a PEM writer, not a key.
void find_private_keys(std::string_view text, std::vector<SecretMatch>& out) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  for (size_t at = text.find(kBegin); at != std::string_view::npos;
       at = text.find(kBegin, at + 1)) {
    size_t label_end = text.find("-----", at + kBegin.size());
    if (label_end == std::string_view::npos || label_end - at > 60) continue;
    std::string_view label = text.substr(at + kBegin.size(), label_end - at - kBegin.size());
    if (label.find("PRIVATE KEY") == std::string_view::npos) continue;
    size_t cursor = label_end + 5;
    size_t material = 0;
    // Key lines, possibly with headers such as "Proc-Type: 4,ENCRYPTED".
    while (cursor < text.size() && material < 64) {
      char c = text[cursor];
      if (c == '\r' || c == '\n') {
        ++cursor;
      } else if (c == '\\' && cursor + 1 < text.size() &&
                 (text[cursor + 1] == 'n' || text[cursor + 1] == 'r')) {
        cursor += 2;
      } else if (is_base64(c)) {
        ++material;
        ++cursor;
      } else {
        break;
      }
    }
    if (material >= 64)
      out.push_back({label.empty() ? "private key" : std::string(label), at,
                     std::string(text.substr(at, label_end + 5 - at))});
  }
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool name_says_secret(const std::string& key) {
  std::string name = upper(key);
  for (const char* word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY",
                           "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY"})
    if (name.find(word) != std::string::npos) return true;
  return false;
}

// Empty, a reference to something else, or an obvious stand-in.
bool is_placeholder(const std::string& value) {
  if (value.size() < 8) return true;
  if (value.front() == '$' || value.front() == '<' || value.front() == '{') return true;
  std::string text = upper(value);
  for (const char* word : {"CHANGEME", "CHANGE_ME", "YOUR_", "YOUR-", "EXAMPLE", "PLACEHOLDER",
                           "REPLACE", "XXXXXXXX", "DUMMY", "FILE:"})
    if (text.find(word) != std::string::npos) return true;
  // A path to a secret is not the secret.
  return value.front() == '/';
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

std::vector<SecretMatch> find_secrets(std::string_view text) {
  std::vector<SecretMatch> out;
  find_private_keys(text, out);
  find_tokens(text, out);
  std::sort(out.begin(), out.end(),
            [](const SecretMatch& a, const SecretMatch& b) { return a.offset < b.offset; });
  return out;
}

Findings scan_setting(const std::string& key, const std::string& value,
                      const std::string& evidence) {
  Findings out;
  for (const auto& match : find_secrets(value))
    out.push_back({"image.secret", Severity::fail, "a " + match.kind + " is baked into the image",
                   evidence, match.excerpt});
  if (out.empty() && name_says_secret(key) && !is_placeholder(value))
    out.push_back({"image.secret", Severity::fail,
                   "a secret-named setting has a value baked into the image (pass it at run time: "
                   "\"environment\" in mcp.json)",
                   evidence, masked(value)});
  return out;
}

Findings scan_file_for_secrets(const std::string& path, std::string_view content) {
  Findings out;
  if (content.substr(0, 8192).find('\0') != std::string_view::npos) return out;
  for (const auto& match : find_secrets(content)) {
    size_t line = static_cast<size_t>(std::count(
                      content.begin(), content.begin() + static_cast<long>(match.offset), '\n')) +
                  1;
    out.push_back({"image.secret", Severity::fail, "a " + match.kind + " is baked into the image",
                   path + ":" + std::to_string(line), match.excerpt});
  }
  // The application's own settings files (not its dependencies').
  std::string name = file_name(path);
  bool settings = name == ".env" || name.rfind(".env.", 0) == 0 || name == ".npmrc";
  if (!settings || path.find("/node_modules/") != std::string::npos || !out.empty()) return out;
  size_t line_number = 0;
  size_t at = 0;
  while (at <= content.size()) {
    size_t end = content.find('\n', at);
    if (end == std::string_view::npos) end = content.size();
    std::string line(content.substr(at, end - at));
    ++line_number;
    at = end + 1;
    auto equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    std::string key = line.substr(0, equals), value = line.substr(equals + 1);
    key.erase(0, key.find_first_not_of(" \t"));
    if (key.rfind("export ", 0) == 0) key.erase(0, 7);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    // npm's "//registry.npmjs.org/:_authToken=..." names its token this way.
    if (key.find("_authToken") != std::string::npos) key = "AUTH_TOKEN";
    for (auto& finding : scan_setting(key, value, path + ":" + std::to_string(line_number)))
      out.push_back(std::move(finding));
  }
  return out;
}

}  // namespace ccmcp::tester
