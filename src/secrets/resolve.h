// A server's environment with its "${secret:KEY}" references put in, for
// the one place that starts it: the container's env file (runtime), the
// tester's container, the external supervisor's process. Never for mcp.json,
// status or logs, which keep the reference.
#pragma once

#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"

namespace ccmcp::secrets {

struct ResolvedEnvironment {
  config::StringPairs plain;        // variables without a reference, as written
  config::StringPairs secret;       // variables with one, resolved
  std::vector<std::string> values;  // the secret values themselves: what logs must not show
  std::string digest;               // keyed digest of `secret` ("" when none): changes with them
};

// The keys the server's environment refers to, sorted, each once.
std::vector<std::string> referenced_keys(const config::Server& server);

// Throws Error, before anything is changed, for the first referenced key
// that is not in the store:
//   "NAME": secret "KEY" is not set (cc-mcp secret set NAME KEY)
void check_secrets_set(const config::Home& home, const config::Server& server);

// Also checks as above. Reads the key only when there is a reference.
ResolvedEnvironment resolve_environment(const config::Home& home, const config::Server& server);
ResolvedEnvironment resolve_environment(const config::Home& home, const std::string& server,
                                        const config::StringPairs& environment);

}  // namespace ccmcp::secrets
