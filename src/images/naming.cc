#include "images/naming.h"

#include <chrono>
#include <regex>

#include "util/error.h"
#include "util/rfc3339.h"

namespace ccmcp::images {

std::string repository_of(const std::string& server_name) {
  // Docker's path component grammar: separators only between alphanumerics.
  static const std::regex component("[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*");
  if (!std::regex_match(server_name, component))
    throw Error(ErrorKind::build, quote(server_name), "cannot name a Docker image",
                "rename the server: letters and digits, with '.', '_' or '-' only between them");
  return "cc-mcp/" + server_name;
}

std::string tag_for_version(const std::string& version) {
  std::string tag;
  for (char c : version) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    tag += ok ? c : '_';
  }
  if (tag.empty()) tag = "_";
  if (tag[0] == '.' || tag[0] == '-') tag.insert(tag.begin(), '_');
  if (tag.size() > 128) tag.resize(128);
  return tag;
}

std::string short_commit(const std::string& commit) {
  return commit.substr(0, 12);
}

std::string digest_version(const std::string& digest) {
  std::string hex = digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest;
  return "sha-" + hex.substr(0, 12);
}

std::string utc_now_rfc3339() {
  return to_rfc3339(std::chrono::system_clock::now());
}

}  // namespace ccmcp::images
