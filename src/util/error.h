// The one error type of cc-mcp. It is thrown where a command cannot go on and
// caught once, at the top of main, where it is printed as
//   cc-mcp: error: <subject>: <problem> (<what to do>)
#pragma once

#include <stdexcept>
#include <string>

namespace ccmcp {

enum class ErrorKind {
  usage,      // the command line is wrong: exit 2
  config,     // mcp.json is missing, unreadable or invalid
  io,         // a file could not be read or written
  not_found,  // a named thing (server, command) does not exist
  conflict,   // another process holds what we need (lock, port, container)
  engine,     // the Docker engine is unreachable or refused a call
  build,      // an image could not be built or fetched
  runtime,    // a server did not start, or misbehaved once started
  internal,   // a bug: should never be seen
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string subject, std::string problem, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  const std::string& subject() const { return subject_; }
  const std::string& problem() const { return problem_; }
  const std::string& hint() const { return hint_; }

  // "<subject>: <problem> (<hint>)", without the "cc-mcp: error: " prefix.
  std::string message() const;
  int exit_code() const { return kind_ == ErrorKind::usage ? 2 : 1; }

 private:
  ErrorKind kind_;
  std::string subject_;
  std::string problem_;
  std::string hint_;
};

// Quotes a user-supplied value for a message: "value", with escapes.
std::string quote(std::string_view value);

}  // namespace ccmcp
