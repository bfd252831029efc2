// "network" of a server: "none", "full", or {"allow": ["host:port", ...]},
// each destination checked by the same rules the egress proxy applies.
#include "bridge/egress_rules.h"
#include "config/validator.h"
#include "util/error.h"

namespace ccmcp::config::detail {

void Validator::check_network(Server& server, const Json& value, const JsonPath& path) {
  server.network.written = true;
  const char* hint =
      "use \"none\" (the default), \"full\", or {\"allow\": [\"api.github.com:443\", ...]}";
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (text == "none") {
      server.network.access = NetworkAccess::none;
    } else if (text == "full") {
      server.network.access = NetworkAccess::full;
    } else {
      error(path, quote(text) + " is not a network setting", hint);
    }
    return;
  }
  if (!value.is_object()) {
    error(path, std::string("must be a string or an object, not ") + json_type_name(value), hint);
    return;
  }
  check_known_keys(value, path, {"allow"});
  auto allow = value.find("allow");
  JsonPath allow_path = child(path, "allow");
  if (allow == value.end()) {
    error(path, "has no \"allow\" list", hint);
    return;
  }
  if (!allow->is_array()) {
    error(allow_path, std::string("must be an array of strings, not ") + json_type_name(*allow),
          "write [\"api.github.com:443\"]");
    return;
  }
  for (size_t i = 0; i < allow->size(); ++i) {
    const Json& entry = (*allow)[i];
    if (!entry.is_string()) {
      error(child(allow_path, i), std::string("must be a string, not ") + json_type_name(entry),
            "write \"host:port\", e.g. \"api.github.com:443\"");
      continue;
    }
    std::string problem;
    if (!bridge::parse_allow_rule(entry.get<std::string>(), problem)) {
      error(child(allow_path, i),
            quote(entry.get<std::string>()) +
                " is not a destination: host:port, *.domain:port, "
                "or host (its ports 443 and 80)",
            "e.g. \"api.github.com:443\"; a port is from 1 to 65535");
      continue;
    }
    server.network.allow.push_back(entry.get<std::string>());
  }
  // An empty list opens nothing: the same as "none".
  server.network.access = server.network.allow.empty() ? NetworkAccess::none : NetworkAccess::allow;
}

}  // namespace ccmcp::config::detail
