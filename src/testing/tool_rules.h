// The rules of the tool scan that read words and markup (tool_scan.h lists
// them with their severities): each returns the first place in a text that
// breaks it, with what it says to the user. Pure functions; internal to
// src/testing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/text_scan.h"

namespace ccmcp::tester {

struct Hit {
  size_t begin = 0;
  size_t end = 0;
  std::string message;
};

// tool.hidden-instruction: phrases aimed at the model ("ignore previous
// instructions", "do not tell the user", ...).
std::optional<Hit> find_hidden_instruction(const std::vector<Word>& words);

// tool.hidden-tag: <IMPORTANT>, <SYSTEM>, [INST], <|im_start|>, HTML comments.
// `low` is lower(text).
std::optional<Hit> find_hidden_tag(std::string_view text, const std::string& low);

// tool.sensitive-path: credential files, always (~/.ssh, id_rsa) or when the
// sentence tells the model to read and hand them on (.env, ~/.aws, ...).
std::optional<Hit> find_sensitive_path(std::string_view text, const std::string& low,
                                       const std::vector<Word>& words);

// tool.exfiltration: "send/post/pass ... to <URL, address or host>".
std::optional<Hit> find_exfiltration(std::string_view text, const std::string& low,
                                     const std::vector<Word>& words);

}  // namespace ccmcp::tester
