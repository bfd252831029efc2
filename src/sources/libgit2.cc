#include "sources/libgit2.h"

#include <mutex>

namespace ccmcp::sources {

void init_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string last_git_error() {
  const git_error* error = git_error_last();
  std::string text = error && error->message ? error->message : "unknown libgit2 error";
  while (!text.empty() && (text.back() == '\n' || text.back() == '.')) text.pop_back();
  return text;
}

std::string oid_text(const git_oid* oid) {
  char text[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(text, sizeof text, oid);
  return text;
}

}  // namespace ccmcp::sources
