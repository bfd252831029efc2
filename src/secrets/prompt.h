// Reading a secret value from the person at the terminal without echo, or
// from stdin when it is not a terminal (a pipe, a file: scripts and tests).
#pragma once

#include <string>

namespace ccmcp::secrets {

bool stdin_is_terminal();

// Terminal: `prompt` on stderr, one line read with echo off. Otherwise the
// whole of stdin when `whole_stdin`, else its next line; one trailing
// newline ("\n" or "\r\n") is dropped. Throws Error when stdin ended before
// a value (not for an empty value: callers refuse that with their subject).
std::string read_secret(const std::string& prompt, bool whole_stdin);

}  // namespace ccmcp::secrets
