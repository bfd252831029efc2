#include "secrets/reference.h"

#include "util/error.h"

namespace ccmcp::secrets {

namespace {

constexpr std::string_view kOpen = "${secret:";

}  // namespace

bool is_secret_key(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

ParsedValue parse_references(std::string_view value) {
  ParsedValue out;
  size_t at = 0;
  while ((at = value.find(kOpen, at)) != std::string_view::npos) {
    size_t start = at + kOpen.size();
    size_t close = value.find('}', start);
    if (close == std::string_view::npos) {
      out.problem = "the secret reference " + quote(value.substr(at)) + " has no closing \"}\"";
      out.hint = "write \"${secret:KEY}\"";
      return out;
    }
    std::string key(value.substr(start, close - start));
    if (!is_secret_key(key)) {
      out.problem = "the secret reference " + quote(value.substr(at, close + 1 - at)) +
                    (key.empty() ? " names no key" : " has a bad key " + quote(key));
      out.hint =
          "a key is letters, digits and '_', not starting with a digit: \"${secret:API_TOKEN}\"";
      return out;
    }
    out.keys.push_back(std::move(key));
    at = close + 1;
  }
  return out;
}

bool has_references(std::string_view value) {
  return value.find(kOpen) != std::string_view::npos;
}

std::string substitute(std::string_view value,
                       const std::function<std::string(const std::string& key)>& lookup) {
  std::string out;
  size_t at = 0;
  while (true) {
    size_t open = value.find(kOpen, at);
    if (open == std::string_view::npos) break;
    size_t close = value.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(value.substr(at, open - at));
    size_t start = open + kOpen.size();
    out += lookup(std::string(value.substr(start, close - start)));
    at = close + 1;
  }
  out.append(value.substr(at));
  return out;
}

std::string reference_to(const std::string& key) {
  return "${secret:" + key + "}";
}

}  // namespace ccmcp::secrets
