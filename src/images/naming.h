// How cc-mcp names what it builds: the repository cc-mcp/NAME, a tag per
// version, and the labels every image carries.
#pragma once

#include <string>

namespace ccmcp::images {

// Labels on every image cc-mcp builds (OCI annotations plus ours).
namespace label {
inline constexpr const char* source = "org.opencontainers.image.source";
inline constexpr const char* revision = "org.opencontainers.image.revision";
inline constexpr const char* version = "org.opencontainers.image.version";
inline constexpr const char* created = "org.opencontainers.image.created";
inline constexpr const char* name = "dev.cc-mcp.name";
inline constexpr const char* spec = "dev.cc-mcp.source";  // what mcp.json asked for
inline constexpr const char* cc_version = "dev.cc-mcp.version";
inline constexpr const char* commit = "dev.cc-mcp.commit";
inline constexpr const char* context_digest = "dev.cc-mcp.context-digest";
inline constexpr const char* bridge = "dev.cc-mcp.bridge";
// The environment variables its bridge reads from cc-mcp: a bridge older
// than them would start the server without its secrets.
inline constexpr const char* bridge_env = "dev.cc-mcp.bridge-env";
inline constexpr const char* bridge_env_now = "CC_MCP_ENV_FILE CC_MCP_AUDIT_FILE";
inline constexpr const char* recipe = "dev.cc-mcp.recipe";   // the no-op key, see recipe.h
inline constexpr const char* templ = "dev.cc-mcp.template";  // which Dockerfile template
}  // namespace label

// "cc-mcp/NAME". Throws Error (build) for a server name that Docker does not
// take as a repository ("a..b", a trailing '-').
std::string repository_of(const std::string& server_name);

// A Docker tag for a version: characters a tag cannot hold become '_',
// at most 128 characters ("1.2.3+build.4" -> "1.2.3_build.4").
std::string tag_for_version(const std::string& version);

// The first 12 hex digits of a commit id.
std::string short_commit(const std::string& commit);

// "sha-<12 hex>" of a "sha256:<hex>" (or bare hex) digest: the version of a
// local folder or a Dockerfile, which have no version of their own.
std::string digest_version(const std::string& digest);

// The current time as RFC 3339 UTC, "2026-09-01T12:00:00Z".
std::string utc_now_rfc3339();

}  // namespace ccmcp::images
