// tool.hidden-instruction and tool.hidden-tag (tool_rules.h).
#include <algorithm>
#include <cctype>
#include <set>

#include "testing/tool_rules.h"

namespace ccmcp::tester {

namespace {

// ---- phrases ------------------------------------------------------------------

// A phrase is a row of steps, each a set of words; "instruct*" matches by
// prefix. `gap` words of anything may come before a step, an optional step
// may be missing, and a match stays within one sentence.
struct Step {
  std::vector<std::string> alternatives;
  size_t gap = 0;
  bool optional = false;
};
using Phrase = std::vector<Step>;

// "ignore|disregard ~3 previous|prior instruction*": '|' separates
// alternatives, "~N" allows N words before the next step, a trailing '?'
// makes a step optional.
Phrase compile(std::string_view spec) {
  Phrase phrase;
  size_t gap = 0;
  while (!spec.empty()) {
    const size_t space = spec.find(' ');
    std::string_view token = spec.substr(0, space);
    spec = space == std::string_view::npos ? std::string_view() : spec.substr(space + 1);
    if (token.empty()) continue;
    if (token[0] == '~') {
      gap = static_cast<size_t>(std::stoul(std::string(token.substr(1))));
      continue;
    }
    Step step;
    step.gap = gap, gap = 0;
    if (token.back() == '?') step.optional = true, token.remove_suffix(1);
    while (!token.empty()) {
      const size_t bar = token.find('|');
      step.alternatives.emplace_back(token.substr(0, bar));
      token = bar == std::string_view::npos ? std::string_view() : token.substr(bar + 1);
    }
    phrase.push_back(std::move(step));
  }
  return phrase;
}

bool step_matches(const Step& step, const std::string& word) {
  for (const std::string& alternative : step.alternatives) {
    if (alternative.back() == '*') {
      if (word.compare(0, alternative.size() - 1, alternative, 0, alternative.size() - 1) == 0) {
        return true;
      }
    } else if (word == alternative) {
      return true;
    }
  }
  return false;
}

// The index past the last word of a match of steps [k, end) starting at word
// `from`, where `slack` words left over from a missing optional step may come
// first.
std::optional<size_t> match_steps(const Phrase& phrase, size_t k, const std::vector<Word>& words,
                                  size_t from, size_t slack, size_t sentence) {
  if (k == phrase.size()) return from;
  const Step& step = phrase[k];
  const size_t allowed = slack + step.gap;
  for (size_t i = from; i < words.size() && i - from <= allowed; ++i) {
    if (words[i].sentence != sentence) break;
    if (!step_matches(step, words[i].text)) continue;
    if (auto end = match_steps(phrase, k + 1, words, i + 1, 0, sentence)) return end;
  }
  if (step.optional) return match_steps(phrase, k + 1, words, from, allowed, sentence);
  return std::nullopt;
}

struct PhraseRule {
  const char* message;
  std::vector<Phrase> phrases;
};

// Phrases that talk to the model rather than describe the tool. Each was
// checked against the descriptions of the reference servers (filesystem,
// everything, memory), which use "read", "send", "pass" and "silently" in
// innocent ways; hence the subjects and objects the verbs need here.
const std::vector<PhraseRule>& hidden_instruction_rules() {
  static const std::vector<PhraseRule> rules = [] {
    auto phrases = [](std::initializer_list<const char*> specs) {
      std::vector<Phrase> out;
      for (const char* spec : specs) out.push_back(compile(spec));
      return out;
    };
    return std::vector<PhraseRule>{
        {"tells the model to ignore its instructions",
         phrases({
             "ignore|disregard|forget|override|bypass ~3 previous|prior|above|earlier|preceding|"
             "former|foregoing ~1 instruction*|prompt*|rule*|direction*|directive*|guideline*|"
             "guidance|context|command*",
             "ignore|disregard|forget|override|bypass ~2 all|your|system|original|safety|developer "
             "~1 instruction*|prompt*|directive*|guideline*|programming|safety",
         })},
        {"tells the model to keep something from the user",
         phrases({
             "do|must|should|shall not ~1 tell|inform|warn|mention|reveal|disclose ~3 "
             "user*|human|anyone|them",
             "never ~1 tell|inform|warn|mention|reveal|disclose ~3 user*|human|anyone|them",
             "do|must|should|shall not ~1 mention ~2 that|this|it|these|anything",
             "never ~1 mention ~2 that|this|it|these|anything",
             "without ~2 telling|informing|alerting|letting ~3 user*|human|them",
             "do|must|should not ~0 let ~2 user*|human|them|anyone ~1 know|see|notice|find|learn|"
             "suspect",
             "user* must|should|shall not|never ~1 know|see|notice|learn|suspect|find",
             "user* must|should|shall not|never be ~1 told|aware|informed|notified|shown",
             "hide|conceal ~3 from ~1 user*|human",
             "keep this|these|that ~2 secret|hidden|confidential|between",
             "keep ~4 secret|hidden|confidential from",
             "secretly|silently|covertly|quietly|discreetly ~2 read|send|include|forward|copy|"
             "upload|exfiltrate|collect|transmit|post|pass|append|add|attach|call|invoke|run|"
             "execute",
         })},
        {"tells the model to do something before or besides the tool's job",
         phrases({
             "before using|calling|invoking|running|executing|use this|the|any ~0 tool ~5 "
             "read|send|include|pass|upload|attach|forward|share|cat",
             "you ~1 must first|also|always|then|now|secretly|silently? read|send|forward|upload|"
             "leak|exfiltrate|share",
             "you ~1 must first|also|always|then|now|secretly|silently? include|pass|attach|append|"
             "provide ~4 conversation*|chat|history|secret*|credential*|password*|environment|"
             "previous|system",
         })},
        {"tries to change who the model is", phrases({
                                                 "you are now",
                                                 "you are no longer",
                                                 "from now on ~2 you",
                                                 "pretend to be|you",
                                                 "your new role|instructions|persona|identity",
                                             })},
        {"talks to the model about its system prompt",
         phrases({
             "reveal|print|output|repeat|leak|disclose|dump|show|copy|return|share|reproduce|paste "
             "~3 system prompt*|instruction*",
             "your system prompt*|instruction*|message*",
         })},
    };
  }();
  return rules;
}

}  // namespace

std::optional<Hit> find_hidden_instruction(const std::vector<Word>& words) {
  for (size_t start = 0; start < words.size(); ++start) {
    for (const PhraseRule& rule : hidden_instruction_rules()) {
      for (const Phrase& phrase : rule.phrases) {
        if (!step_matches(phrase.front(), words[start].text)) continue;
        if (auto end = match_steps(phrase, 0, words, start, 0, words[start].sentence)) {
          return Hit{words[start].begin, words[*end - 1].end, rule.message};
        }
      }
    }
  }
  return std::nullopt;
}

// ---- tags -------------------------------------------------------------------

// Markup that chat templates and poisoned tools use to set text apart as
// instructions for the model; no description needs them to explain a tool.
std::optional<Hit> find_hidden_tag(std::string_view text, const std::string& low) {
  static const std::set<std::string> names = {
      "important", "system",   "instructions", "instruction", "secret",        "hidden",
      "sys",       "critical", "admin",        "assistant",   "system-prompt", "system_prompt",
  };
  auto hit = [&](size_t begin, size_t end) {
    return Hit{begin, end,
               "has a " + printable(text.substr(begin, end - begin), 40) +
                   " tag, markup that hides instructions for the model"};
  };
  for (size_t at = 0; at < low.size(); ++at) {
    const std::string_view rest = std::string_view(low).substr(at);
    if (rest.starts_with("<!--")) {
      const size_t close = rest.find("-->");
      return Hit{at, close == std::string_view::npos ? at + 4 : at + close + 3,
                 "has an HTML comment, text a client does not show but the model reads"};
    }
    if (rest.starts_with("[inst]")) return hit(at, at + 6);
    if (rest.starts_with("[/inst]")) return hit(at, at + 7);
    if (rest.starts_with("<<sys>>")) return hit(at, at + 7);
    if (rest.starts_with("<|")) {
      const size_t close = rest.substr(0, 42).find("|>", 2);
      if (close != std::string_view::npos && close > 2 && close < 40 &&
          std::all_of(rest.begin() + 2, rest.begin() + static_cast<long>(close), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
          })) {
        return hit(at, at + close + 2);
      }
      continue;
    }
    if (rest[0] != '<') continue;
    size_t i = 1;
    if (i < rest.size() && rest[i] == '/') ++i;
    while (i < rest.size() && rest[i] == ' ') ++i;
    const size_t name_begin = i;
    while (i < rest.size() && (std::isalpha(static_cast<unsigned char>(rest[i])) ||
                               rest[i] == '-' || rest[i] == '_')) {
      ++i;
    }
    if (!names.contains(std::string(rest.substr(name_begin, i - name_begin)))) continue;
    // Attributes may follow the name; the tag ends at the next '>'.
    for (size_t j = i; j < rest.size() && j < i + 64 && rest[j] != '<'; ++j) {
      if (rest[j] == '>') return hit(at, at + j + 1);
    }
  }
  return std::nullopt;
}

}  // namespace ccmcp::tester
