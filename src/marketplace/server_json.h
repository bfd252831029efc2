// The MCP registry's server.json (schema 2025-12-11) mapped onto the package
// format:
//
//   {"$schema": ".../2025-12-11/server.schema.json",
//    "name": "io.github.owner/weather", "title": "Weather", "description": "...",
//    "version": "1.2.0", "repository": {"url": "https://github.com/owner/weather",
//                                       "source": "github", "subfolder": "server"},
//    "packages": [{"registryType": "npm", "identifier": "@owner/weather",
//                  "version": "1.2.0", "transport": {"type": "stdio"},
//                  "environmentVariables": [{"name": "API_KEY", "isRequired": true,
//                                            "isSecret": true, "description": "..."}],
//                  "packageArguments": [{"type": "positional", "value": "--stdio"},
//                                       {"type": "named", "name": "--port", "value": "3000"}]}],
//    "remotes": [{"type": "streamable-http", "url": "https://weather.example/mcp"}]}
//
// The package cc-mcp runs is the first stdio one of type npm, else oci (a
// docker source), else pypi (shown, refused at install: no PyPI source
// kind); one with none is a hosted server (remotes shown, not
// installable). Its name is the last part of the registry name, made a
// usable server name ("weather"); the whole name stays as registry_name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.h"
#include "marketplace/package.h"

namespace ccmcp::marketplace {

inline constexpr const char* kServerJsonSchema2025_12_11 =
    "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

// "io.github.owner/Weather_API" -> "weather_api": lowercase, anything a
// server name cannot hold turned into '-', at most 63 characters.
std::string short_name(const std::string& registry_name);

// nullopt (with a diagnostic naming `display` and the key) when the
// document lacks what every server.json has (name, description, version).
std::optional<Package> package_from_server_json(const nlohmann::json& server,
                                                const std::string& display,
                                                std::vector<config::Diagnostic>& diagnostics);

}  // namespace ccmcp::marketplace
