#include "sources/git_preflight.h"

#include <cstdlib>

#include "net/http_client.h"
#include "util/error.h"

namespace ccmcp::sources {

std::chrono::seconds git_answer_timeout() {
  if (const char* text = std::getenv("CC_MCP_GIT_TIMEOUT"); text && *text) {
    char* end = nullptr;
    long seconds = std::strtol(text, &end, 10);
    if (*end == '\0' && seconds > 0) return std::chrono::seconds(seconds);
  }
  return std::chrono::seconds(30);
}

void check_git_remote_answers(const std::string& repository,
                              std::optional<std::chrono::seconds> limit) {
  std::chrono::seconds timeout = git_answer_timeout();
  if (limit && *limit < timeout) timeout = *limit;
  if (repository.rfind("http://", 0) != 0 && repository.rfind("https://", 0) != 0) return;
  std::string base = repository;
  while (!base.empty() && base.back() == '/') base.pop_back();
  net::HttpRequest request;
  request.url = base + "/info/refs?service=git-upload-pack";
  request.headers.push_back("User-Agent: git/2.0 (cc-mcp)");
  request.timeout = timeout;
  request.connect_timeout =
      std::min<std::chrono::milliseconds>(request.timeout, std::chrono::seconds(10));
  // The status line and the first bytes are the answer; the rest is libgit2's.
  request.on_body = [](std::string_view) { return false; };
  try {
    net::make_curl_client()->send(request);
  } catch (const net::HttpError& error) {
    if (error.failure() == net::HttpFailure::timed_out)
      throw Error(
          ErrorKind::build, quote(repository),
          "cannot reach the repository: no answer within " + std::to_string(timeout.count()) + " s",
          "check the repository URL in mcp.json and that it can be reached from here");
  }
}

}  // namespace ccmcp::sources
