// "${secret:KEY}" in a server's environment values: the whole value or a
// part of it ("Bearer ${secret:TOKEN}"). mcp.json keeps the reference; the
// value is put in only where the server is started (secrets/resolve.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::secrets {

struct ParsedValue {
  std::vector<std::string> keys;       // in order, repeats kept
  std::optional<std::string> problem;  // the first malformed reference, said for people
  std::string hint;                    // what to write instead
};

// Whether `name` may name a secret: [A-Za-z_][A-Za-z0-9_]*.
bool is_secret_key(const std::string& name);

// Finds every "${secret:...}". Text that does not start a reference ("$x",
// "${HOME}") is left alone.
ParsedValue parse_references(std::string_view value);

bool has_references(std::string_view value);

// The value with each reference replaced by lookup(KEY). Assumes a value
// parse_references accepted.
std::string substitute(std::string_view value,
                       const std::function<std::string(const std::string& key)>& lookup);

// "${secret:KEY}"
std::string reference_to(const std::string& key);

}  // namespace ccmcp::secrets
