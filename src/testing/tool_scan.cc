#include "testing/tool_scan.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <utility>

#include "testing/tool_rules.h"

namespace ccmcp::tester {

namespace {

using nlohmann::json;

// ---- one string ---------------------------------------------------------------

Finding finding(const char* rule, Severity severity, std::string message,
                const std::string& evidence, std::string excerpt_text = {}) {
  return Finding{rule, severity, std::move(message), evidence, std::move(excerpt_text)};
}

// Zero-width joiners and non-joiners are part of emoji sequences and of
// Persian and Indic writing; between two non-ASCII characters they are left
// alone. Between ASCII letters they only split words to hide them.
bool joins_script(std::string_view text, size_t at, const CodePoint& cp, char32_t previous) {
  if (cp.value != 0x200C && cp.value != 0x200D) return false;
  if (previous < 0x80 || invisible_kind(previous) || at + cp.length >= text.size()) return false;
  const CodePoint next = decode(text, at + cp.length);
  return next.valid && next.value >= 0x80 && !invisible_kind(next.value);
}

void check_characters(std::string_view text, const std::string& evidence,
                      const std::string& subject, Findings& out) {
  size_t invisible = 0, invalid = 0;
  std::optional<size_t> first_invisible, first_invalid;
  std::vector<char32_t> kinds;
  bool more_kinds = false;
  char32_t previous = 0;
  for (size_t at = 0; at < text.size();) {
    const CodePoint cp = decode(text, at);
    if (!cp.valid) {
      ++invalid;
      if (!first_invalid) first_invalid = at;
      previous = 0;
    } else {
      if (invisible_kind(cp.value) && !joins_script(text, at, cp, previous)) {
        ++invisible;
        if (!first_invisible) first_invisible = at;
        if (std::find(kinds.begin(), kinds.end(), cp.value) == kinds.end()) {
          if (kinds.size() < 3) {
            kinds.push_back(cp.value);
          } else {
            more_kinds = true;
          }
        }
      }
      previous = cp.value;
    }
    at += cp.length;
  }
  if (invisible > 0) {
    std::string list;
    for (char32_t kind : kinds) {
      list += (list.empty() ? "" : ", ") + code_point_name(kind) + " " + invisible_kind(kind);
    }
    const size_t at = *first_invisible;
    const CodePoint first = decode(text, at);
    out.push_back(finding(
        "tool.invisible-unicode", Severity::fail,
        subject + " has " + std::to_string(invisible) + " invisible or control character" +
            (invisible == 1 ? "" : "s") + " (" + list + (more_kinds ? ", ..." : "") +
            "), which can hide or reorder text",
        evidence + " (" + code_point_name(first.value) + " at byte " + std::to_string(at) + ")",
        excerpt(text, at, at + first.length)));
  }
  if (invalid > 0) {
    const size_t at = *first_invalid;
    out.push_back(finding("tool.invalid-utf8", Severity::warn,
                          subject + " is not valid UTF-8 (" + std::to_string(invalid) +
                              (invalid == 1 ? " byte" : " bytes") + ")",
                          evidence + " (byte " + std::to_string(at) + ")",
                          excerpt(text, at, at + 1)));
  }
}

void scan_string(std::string_view text, const std::string& evidence, const std::string& subject,
                 Findings& out) {
  check_characters(text, evidence, subject, out);
  const std::vector<Word> words = words_of(text);
  const std::string low = lower(text);
  auto report = [&](const char* rule, const std::optional<Hit>& hit) {
    if (!hit) return;
    out.push_back(finding(rule, Severity::fail, subject + " " + hit->message, evidence,
                          excerpt(text, hit->begin, hit->end)));
  };
  report("tool.hidden-instruction", find_hidden_instruction(words));
  report("tool.hidden-tag", find_hidden_tag(text, low));
  report("tool.sensitive-path", find_sensitive_path(text, low, words));
  report("tool.exfiltration", find_exfiltration(text, low, words));
}

// Every string under `root` (object keys too: property names reach the model
// as well), in document order; iterative, so deep nesting cannot exhaust the
// stack.
void scan_json(const json& root, const std::string& root_path, const std::string& label,
               const std::string& subject, Findings& out) {
  std::vector<std::pair<const json*, std::string>> stack = {{&root, root_path}};
  while (!stack.empty()) {
    auto [value, path] = std::move(stack.back());
    stack.pop_back();
    if (value->is_string()) {
      scan_string(value->get_ref<const std::string&>(), label + ": " + path, subject, out);
    } else if (value->is_object()) {
      std::vector<std::pair<const json*, std::string>> children;
      for (auto it = value->begin(); it != value->end(); ++it) {
        const std::string child = path + "/" + pointer_segment(it.key());
        scan_string(it.key(), label + ": " + child + " (key)", subject, out);
        children.emplace_back(&it.value(), child);
      }
      stack.insert(stack.end(), children.rbegin(), children.rend());
    } else if (value->is_array()) {
      for (size_t i = value->size(); i-- > 0;) {
        stack.emplace_back(&(*value)[i], path + "/" + std::to_string(i));
      }
    }
  }
}

void check_description_size(const std::string& description, const std::string& evidence,
                            const ToolScanOptions& options, Findings& out) {
  const size_t size = description.size();
  if (size > options.max_description_bytes) {
    out.push_back(finding("tool.description-size", Severity::fail,
                          "description is " + std::to_string(size) + " bytes, over the limit of " +
                              std::to_string(options.max_description_bytes),
                          evidence));
  } else if (size > options.warn_description_bytes) {
    out.push_back(finding("tool.description-size", Severity::warn,
                          "description is " + std::to_string(size) +
                              " bytes; descriptions rarely need more than " +
                              std::to_string(options.warn_description_bytes),
                          evidence));
  }
}

}  // namespace

std::string pointer_segment(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return printable(out, 80);
}

std::string tool_label(const json& tool, size_t index) {
  if (tool.is_object()) {
    const auto name = tool.find("name");
    if (name != tool.end() && name->is_string() && !name->get_ref<const std::string&>().empty()) {
      return "tool " + printable(name->get_ref<const std::string&>(), 80);
    }
  }
  return "tool #" + std::to_string(index + 1);
}

Findings scan_tools(const std::vector<json>& tools, const ToolScanOptions& options) {
  Findings out;
  for (size_t i = 0; i < tools.size(); ++i) {
    const json& tool = tools[i];
    if (!tool.is_object()) continue;  // check_tool_definitions reports it
    const std::string label = tool_label(tool, i);
    for (const char* field : {"name", "title", "description"}) {
      const auto value = tool.find(field);
      if (value == tool.end() || !value->is_string()) continue;
      const std::string& text = value->get_ref<const std::string&>();
      scan_string(text, label + ": " + field, field, out);
      if (std::string_view(field) == "description") {
        check_description_size(text, label + ": description", options, out);
      }
    }
    for (const char* field : {"inputSchema", "outputSchema", "annotations"}) {
      const auto value = tool.find(field);
      if (value == tool.end()) continue;
      scan_json(*value, field, label, std::string(field) + " text", out);
    }
  }
  return out;
}

Findings scan_text(const std::string& text, const std::string& evidence,
                   const ToolScanOptions& /*options: no rule of a lone text has a limit yet*/) {
  Findings out;
  scan_string(text, evidence, "text", out);
  return out;
}

Findings find_shadowing(const std::vector<json>& tools,
                        const std::vector<OtherServerTools>& others) {
  Findings out;
  for (size_t i = 0; i < tools.size(); ++i) {
    if (!tools[i].is_object()) continue;
    const auto name = tools[i].find("name");
    if (name == tools[i].end() || !name->is_string()) continue;
    const std::string& tool = name->get_ref<const std::string&>();
    for (const OtherServerTools& other : others) {
      if (std::find(other.tools.begin(), other.tools.end(), tool) == other.tools.end()) continue;
      out.push_back(
          finding("tool.shadowing", Severity::warn,
                  "server " + printable(other.server, 80) + " also has a tool named " +
                      printable(tool, 80) + "; a client may call the wrong one",
                  tool_label(tools[i], i) + ": also served by " + printable(other.server, 80)));
    }
  }
  return out;
}

}  // namespace ccmcp::tester
