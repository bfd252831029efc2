#include "secrets/prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>

#include "util/error.h"

namespace ccmcp::secrets {

namespace {

// Echo off for its lifetime, back as it was on every path (Ctrl-C too is
// a normal exit through the top-level handler's return).
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

void drop_newline(std::string& text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
}

}  // namespace

bool stdin_is_terminal() {
  return ::isatty(STDIN_FILENO) == 1;
}

std::string read_secret(const std::string& prompt, bool whole_stdin) {
  std::string value;
  if (stdin_is_terminal()) {
    std::fprintf(stderr, "%s", prompt.c_str());
    std::fflush(stderr);
    NoEcho no_echo;
    if (!std::getline(std::cin, value))
      throw Error(ErrorKind::usage, "stdin", "ended before a value was typed",
                  "type the value and press Enter");
    return value;
  }
  if (whole_stdin) {
    value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    drop_newline(value);
    return value;
  }
  if (!std::getline(std::cin, value))
    throw Error(ErrorKind::usage, "stdin", "ended before the value of " + prompt,
                "give one line per secret, in the order of the options");
  drop_newline(value);
  return value;
}

}  // namespace ccmcp::secrets
