// What the libgit2 users of sources (git.cc: clones; git_remote.cc: ls-remote)
// share: the library's one-time start, its last error in our words, and a
// commit id as text. Internal to src/sources.
#pragma once

#include <git2.h>

#include <string>

namespace ccmcp::sources {

// git_libgit2_init, once per process.
void init_libgit2();

// libgit2's message for the last failure, without a trailing dot or newline.
std::string last_git_error();

// 40 hex digits.
std::string oid_text(const git_oid* oid);

}  // namespace ccmcp::sources
