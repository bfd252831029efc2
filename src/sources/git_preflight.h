// A bounded first contact with an http(s) git remote.
//
// libgit2 1.5 (Debian 12's) has no network time-outs: a host that accepts the
// connection and then never answers would hang a build for ever. One
// smart-HTTP discovery request through libcurl, with time-outs, first tells a
// silent host from a slow clone; everything else (refused, unknown host,
// authentication) is left to libgit2, whose words for it are more exact.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace ccmcp::sources {

// How long the remote may take to answer: $CC_MCP_GIT_TIMEOUT seconds, else 30.
std::chrono::seconds git_answer_timeout();

// Throws Error (kind build) when an http:// or https:// repository does not
// answer within git_answer_timeout(), or `limit` when that is shorter.
// Other URLs are not checked.
void check_git_remote_answers(const std::string& repository,
                              std::optional<std::chrono::seconds> limit = std::nullopt);

}  // namespace ccmcp::sources
