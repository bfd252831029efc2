// Secrets baked into an image: private keys and the token formats of the
// big clouds and APIs, found in text by their fixed prefixes and shapes
// (no regex engine: application folders hold tens of MB of JavaScript), and
// environment or label entries whose name says secret and whose value
// looks real.
#pragma once

#include <string>
#include <string_view>

#include "testing/finding.h"

namespace ccmcp::tester {

struct SecretMatch {
  std::string kind;  // "private key", "AWS access key id", "GitHub token", ...
  size_t offset = 0;
  std::string excerpt;  // the secret, mostly masked: "ghp_ab…(36)"
};

// Every secret-shaped token in `text`. Documentation examples (AWS's
// AKIA...EXAMPLE) and PEM headers with no key under them (code that writes
// PEM) are not matches.
std::vector<SecretMatch> find_secrets(std::string_view text);

// KEY=VALUE of an image's ENV or a label: a secret-shaped value, or a name
// that says secret (TOKEN, SECRET, PASSWORD, API_KEY, ...) with a value
// that is not empty or a placeholder. `evidence` names where it is.
Findings scan_setting(const std::string& key, const std::string& value,
                      const std::string& evidence);

// A file's content: every secret in it, as findings naming the file. A
// binary file (a NUL byte early on) is skipped. Dotenv and npmrc files of
// the application (not of its dependencies) are also read as settings.
Findings scan_file_for_secrets(const std::string& path, std::string_view content);

}  // namespace ccmcp::tester
