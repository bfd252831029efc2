#include "testing/tool_scan.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <utility>

namespace ccmcp::tester {

namespace {

using nlohmann::json;

// ---- UTF-8 ------------------------------------------------------------------

struct CodePoint {
  char32_t value = 0;
  size_t length = 1;
  bool valid = true;  // false: one byte that starts no well-formed sequence
};

// Decoded by hand rather than with a library: the scanner must see exactly
// the bytes the server sent, overlong forms and surrogates included.
CodePoint decode(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {lead, 1, true};
  size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, smallest = 0x10000;
  } else {
    return {lead, 1, false};
  }
  if (at + length > text.size()) return {lead, 1, false};
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) return {lead, 1, false};
    value = (value << 6) | (next & 0x3F);
  }
  if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return {lead, 1, false};
  }
  return {value, length, true};
}

bool is_control(char32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
}

// What a character is when people cannot see it; nullptr for one they can.
const char* invisible_kind(char32_t c) {
  if (is_control(c)) return "control character";
  switch (c) {
    case 0x00AD:
      return "soft hyphen";
    case 0x061C:
      return "arabic letter mark";
    case 0x180E:
      return "mongolian vowel separator";
    case 0x200B:
      return "zero width space";
    case 0x200C:
      return "zero width non-joiner";
    case 0x200D:
      return "zero width joiner";
    case 0x200E:
      return "left-to-right mark";
    case 0x200F:
      return "right-to-left mark";
    case 0x202A:
      return "left-to-right embedding";
    case 0x202B:
      return "right-to-left embedding";
    case 0x202C:
      return "pop directional formatting";
    case 0x202D:
      return "left-to-right override";
    case 0x202E:
      return "right-to-left override";
    case 0x2060:
      return "word joiner";
    case 0x2061:
      return "function application";
    case 0x2062:
      return "invisible times";
    case 0x2063:
      return "invisible separator";
    case 0x2064:
      return "invisible plus";
    case 0x2066:
      return "left-to-right isolate";
    case 0x2067:
      return "right-to-left isolate";
    case 0x2068:
      return "first strong isolate";
    case 0x2069:
      return "pop directional isolate";
    case 0xFEFF:
      return "zero width no-break space";
    default:
      break;
  }
  if (c >= 0xE0000 && c <= 0xE007F) return "tag character";
  return nullptr;
}

std::string hex(const char* format, uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned>(value));
  return buffer;
}

std::string code_point_name(char32_t c) {
  return hex("U+%04X", c);
}

// One character as it is printed: itself, or an escape people can read.
std::string shown(std::string_view text, const CodePoint& cp, size_t at) {
  if (!cp.valid) return hex("\\x{%02X}", static_cast<unsigned char>(text[at]));
  if (cp.value == '\t' || cp.value == '\n' || cp.value == '\r') return " ";
  if (invisible_kind(cp.value)) return hex("\\u{%X}", cp.value);
  return std::string(text.substr(at, cp.length));
}

// One character as shown.
struct Unit {
  std::string text;
};

std::vector<Unit> units_of(std::string_view text, size_t begin, size_t end) {
  std::vector<Unit> units;
  for (size_t at = begin; at < end;) {
    const CodePoint cp = decode(text, at);
    units.push_back({shown(text, cp, at)});
    at += cp.length;
  }
  return units;
}

size_t size_of(const std::vector<Unit>& units) {
  size_t size = 0;
  for (const Unit& unit : units) size += unit.text.size();
  return size;
}

std::string joined(const std::vector<Unit>& units) {
  std::string out;
  for (const Unit& unit : units) out += unit.text;
  return out;
}

size_t back_to_lead_byte(std::string_view text, size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

constexpr size_t kExcerptBytes = 160;
constexpr size_t kContextBytes = 40;

// The match [begin, end) with up to ~40 bytes either side, printable and at
// most kExcerptBytes long; the context gives way before the match does.
std::string excerpt(std::string_view text, size_t begin, size_t end) {
  const size_t from = back_to_lead_byte(text, begin > kContextBytes ? begin - kContextBytes : 0);
  const size_t to = back_to_lead_byte(text, std::min(text.size(), end + kContextBytes));
  std::vector<Unit> left = units_of(text, from, begin);
  std::vector<Unit> match = units_of(text, begin, end);
  std::vector<Unit> right = units_of(text, end, to);
  bool cut_left = from > 0;
  bool cut_right = to < text.size();
  const size_t budget = kExcerptBytes - 6;  // room for "..." on both sides
  size_t left_size = size_of(left), match_size = size_of(match), right_size = size_of(right);
  while (left_size + match_size + right_size > budget) {
    if (!left.empty() && left_size >= right_size) {
      left_size -= left.front().text.size(), left.erase(left.begin()), cut_left = true;
    } else if (!right.empty()) {
      right_size -= right.back().text.size(), right.pop_back(), cut_right = true;
    } else {
      match_size -= match.back().text.size(), match.pop_back(), cut_right = true;
    }
  }
  return (cut_left ? "..." : "") + joined(left) + joined(match) + joined(right) +
         (cut_right ? "..." : "");
}

// ---- words --------------------------------------------------------------------

// A word, lowercased, with its bytes in the text and the sentence it is in:
// the phrase rules match words, so extra spaces, line breaks, punctuation and
// invisible characters inside a word ("ig\u200Bnore") change nothing.
struct Word {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
  size_t sentence = 0;
};

bool is_word_char(const CodePoint& cp) {
  if (!cp.valid) return false;
  const char32_t c = cp.value;
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) || c == '_' || c == '\'';
  if (c == 0x2019) return true;  // ’, the apostrophe of typeset text
  // Punctuation and spaces of Latin-1 and of the general punctuation block
  // separate words; letters of every script join them.
  if (c <= 0xBF) return false;
  if (c >= 0x2000 && c <= 0x206F) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  return true;
}

// "don't" is "do not", so the rules need to list only one form.
void push_word(std::vector<Word>& words, Word word) {
  const auto trim = word.text.find_first_not_of('\'');
  if (trim == std::string::npos) return;
  word.text = word.text.substr(trim, word.text.find_last_not_of('\'') - trim + 1);
  std::string stem;
  if (word.text == "can't" || word.text == "cannot") {
    stem = "can";
  } else if (word.text == "won't") {
    stem = "will";
  } else if (word.text == "dont") {
    stem = "do";
  } else if (word.text.size() > 3 && word.text.ends_with("n't")) {
    stem = word.text.substr(0, word.text.size() - 3);
  }
  if (stem.empty()) {
    words.push_back(std::move(word));
    return;
  }
  Word negation = word;
  word.text = stem;
  negation.text = "not";
  words.push_back(std::move(word));
  words.push_back(std::move(negation));
}

bool ends_sentence(std::string_view text, size_t at) {
  const char c = text[at];
  const bool last = at + 1 >= text.size();
  if (c == '.' || c == '!' || c == '?' || c == ';') {
    // "e.g." and "i.e." do not end a sentence: a one-letter word before the dot.
    if (c == '.' && at >= 1 && std::isalpha(static_cast<unsigned char>(text[at - 1])) &&
        (at == 1 || !std::isalnum(static_cast<unsigned char>(text[at - 2])))) {
      return false;
    }
    return last || std::isspace(static_cast<unsigned char>(text[at + 1]));
  }
  if (c != '\n') return false;
  // A blank line ends a paragraph; a single line break may only wrap one.
  for (size_t next = at + 1; next < text.size(); ++next) {
    if (text[next] == '\n') return true;
    if (text[next] != ' ' && text[next] != '\t' && text[next] != '\r') return false;
  }
  return true;
}

std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> words;
  Word current;
  bool in_word = false;
  size_t sentence = 0;
  for (size_t at = 0; at < text.size();) {
    const CodePoint cp = decode(text, at);
    if (cp.valid && invisible_kind(cp.value) && !is_control(cp.value)) {
      at += cp.length;  // format characters hide inside words; skip them
      continue;
    }
    if (is_word_char(cp)) {
      if (!in_word) current = Word{"", at, at, sentence}, in_word = true;
      if (cp.value == 0x2019) {
        current.text += '\'';
      } else if (cp.value < 0x80) {
        current.text += static_cast<char>(std::tolower(static_cast<int>(cp.value)));
      } else {
        current.text += text.substr(at, cp.length);
      }
      current.end = at + cp.length;
    } else {
      if (in_word) push_word(words, std::move(current)), in_word = false;
      if (ends_sentence(text, at)) ++sentence;
    }
    at += cp.length;
  }
  if (in_word) push_word(words, std::move(current));
  return words;
}

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

struct Hit {
  size_t begin = 0;
  size_t end = 0;
  std::string message;
};

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

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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

// ---- credential files -----------------------------------------------------------

// Where credentials live. A strong entry fails wherever it appears: no tool
// needs to tell the model about ~/.ssh, id_rsa or /etc/shadow. A weak entry
// (.env, ~/.aws, .npmrc, mcp.json, "private key", ...) has innocent uses ("reads
// settings from .env") and fails only when the same sentence also tells the
// model to read it and hand it on (see handing_on_sentences).
struct SensitivePath {
  const char* needle;
  bool strong;
};

constexpr SensitivePath kSensitivePaths[] = {
    {".ssh", true},
    {"id_rsa", true},
    {"id_dsa", true},
    {"id_ecdsa", true},
    {"id_ed25519", true},
    {"authorized_keys", true},
    {"/etc/shadow", true},
    {"/etc/sudoers", true},
    {".gnupg", true},
    {".env", false},
    {".aws", false},
    {"credentials.json", false},
    {".npmrc", false},
    {".netrc", false},
    {".pypirc", false},
    {".git-credentials", false},
    {"/etc/passwd", false},
    {"mcp.json", false},
    {"claude_desktop_config.json", false},
    {".kube/config", false},
    {".docker/config.json", false},
};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The first word that ends after `offset` (words are in text order).
size_t word_at(const std::vector<Word>& words, size_t offset) {
  return static_cast<size_t>(std::partition_point(words.begin(), words.end(),
                                                  [&](const Word& w) { return w.end <= offset; }) -
                             words.begin());
}

// The sentences that tell the model to take a file's content and hand it on:
// a handing verb (pass, send, include, ...) together with a reading verb or
// the content itself ("read X and pass its content"). "Include .env files in
// the search" and "path to the .env file" are not among them.
std::vector<bool> handing_on_sentences(const std::vector<Word>& words) {
  static const std::set<std::string> hand_on = {
      "pass",  "send", "include",    "upload",  "attach", "append", "forward", "post",
      "share", "leak", "exfiltrate", "provide", "paste",  "embed",  "submit",  "transmit"};
  static const std::set<std::string> take = {"read",   "cat",   "open",    "print",   "dump",
                                             "output", "copy",  "extract", "content", "contents",
                                             "its",    "their", "value",   "values"};
  const size_t sentences = words.empty() ? 0 : words.back().sentence + 1;
  std::vector<bool> hands(sentences), takes(sentences), both(sentences);
  for (const Word& w : words) {
    if (hand_on.contains(w.text)) hands[w.sentence] = true;
    if (take.contains(w.text)) takes[w.sentence] = true;
  }
  for (size_t i = 0; i < sentences; ++i) both[i] = hands[i] && takes[i];
  return both;
}

std::optional<Hit> find_sensitive_path(std::string_view text, const std::string& low,
                                       const std::vector<Word>& words) {
  const std::vector<bool> handing_on = handing_on_sentences(words);
  std::optional<Hit> best;
  auto consider = [&](size_t begin, size_t end, bool strong) {
    if (best && best->begin <= begin) return;
    if (!strong) {
      if (words.empty()) return;
      const size_t word = std::min(word_at(words, begin), words.size() - 1);
      if (!handing_on[words[word].sentence]) return;
    }
    // The whole path the text names: "~/.cursor/mcp.json", not just "mcp.json".
    auto is_path_char = [&](char c) {
      return !std::isspace(static_cast<unsigned char>(c)) &&
             std::string_view("\"'`()[]{}<>,").find(c) == std::string_view::npos;
    };
    const size_t first = begin > 120 ? begin - 120 : 0, last = std::min(text.size(), end + 120);
    while (begin > first && is_path_char(text[begin - 1])) --begin;
    while (end < last && is_path_char(text[end])) ++end;
    while (end > begin + 1 &&
           std::string_view(".;:!?").find(text[end - 1]) != std::string_view::npos) {
      --end;
    }
    const std::string path = printable(text.substr(begin, end - begin), 60);
    best = Hit{begin, end,
               strong ? "points the model at " + path + ", where credentials are kept"
                      : "tells the model to hand on " + path + ", which holds secrets"};
  };
  for (const SensitivePath& entry : kSensitivePaths) {
    const std::string_view needle = entry.needle;
    for (size_t at = low.find(needle); at != std::string::npos; at = low.find(needle, at + 1)) {
      const size_t end = at + needle.size();
      // A word of its own: "process.env" and ".environment" are not ".env".
      if (needle[0] != '/' && at > 0 && is_name_char(low[at - 1])) continue;
      if (end < low.size() && is_name_char(low[end])) continue;
      consider(at, end, entry.strong);
    }
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text == "private" && words[i + 1].text.starts_with("key") &&
        words[i + 1].text.size() <= 4 && words[i].sentence == words[i + 1].sentence) {
      consider(words[i].begin, words[i + 1].end, false);
    }
  }
  return best;
}

// ---- exfiltration -------------------------------------------------------------

struct Span {
  size_t begin;
  size_t end;
};

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// Places data can be sent to: URLs of network schemes, e-mail addresses, IPv4
// addresses and bare host names under common top-level domains (not file
// names such as mcp.json or node.js).
std::vector<Span> destinations(const std::string& low) {
  static const std::set<std::string> schemes = {"http", "https", "ftp", "ftps", "sftp",  "ws",
                                                "wss",  "smtp",  "tcp", "udp",  "gopher"};
  static const std::set<std::string> domains = {
      "com", "net",  "org",   "io",   "ai",    "dev",    "app",  "xyz", "ru",
      "cn",  "info", "biz",   "co",   "site",  "online", "top",  "cc",  "tk",
      "pw",  "link", "click", "live", "cloud", "tech",   "store"};
  std::vector<Span> found;
  std::vector<bool> covered(low.size());
  auto add = [&](size_t begin, size_t end) {
    found.push_back({begin, end});
    std::fill(covered.begin() + static_cast<long>(begin), covered.begin() + static_cast<long>(end),
              true);
  };
  for (size_t at = low.find("://"); at != std::string::npos; at = low.find("://", at + 3)) {
    size_t begin = at;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(low[begin - 1]))) --begin;
    if (!schemes.contains(low.substr(begin, at - begin))) continue;
    size_t end = at + 3;
    while (end < low.size() && !std::isspace(static_cast<unsigned char>(low[end])) &&
           std::string_view("\"'`<>()[]{}").find(low[end]) == std::string_view::npos) {
      ++end;
    }
    while (end > at + 3 &&
           std::string_view(".,;:!?").find(low[end - 1]) != std::string_view::npos) {
      --end;
    }
    if (end > at + 3) add(begin, end);
  }
  for (size_t at = low.find('@'); at != std::string::npos; at = low.find('@', at + 1)) {
    if (covered[at]) continue;
    size_t begin = at;
    while (begin > 0 && (is_host_char(low[begin - 1]) ||
                         std::string_view("_%+").find(low[begin - 1]) != std::string_view::npos)) {
      --begin;
    }
    size_t end = at + 1;
    while (end < low.size() && is_host_char(low[end])) ++end;
    while (end > at + 1 && (low[end - 1] == '.' || low[end - 1] == '-')) --end;
    const size_t dot = low.rfind('.', end - 1);
    if (begin == at || dot == std::string::npos || dot <= at + 1 || end - dot < 3) continue;
    add(begin, end);
  }
  // Runs of host characters: IPv4 addresses and host names.
  for (size_t at = 0; at < low.size();) {
    if (!is_host_char(low[at]) || covered[at]) {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < low.size() && is_host_char(low[end])) ++end;
    const size_t next = end;
    while (end > at && (low[end - 1] == '.' || low[end - 1] == '-')) --end;
    const std::string run = low.substr(at, end - at);
    const bool after_path =
        at > 0 && std::string_view("/@_\\").find(low[at - 1]) != std::string_view::npos;
    std::vector<std::string> labels;
    for (size_t from = 0;;) {
      const size_t dot = run.find('.', from);
      labels.push_back(run.substr(from, dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    const bool no_empty =
        std::none_of(labels.begin(), labels.end(), [](const std::string& l) { return l.empty(); });
    const bool ipv4 =
        labels.size() == 4 && no_empty &&
        std::all_of(labels.begin(), labels.end(), [](const std::string& l) {
          return l.size() <= 3 &&
                 std::all_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 std::stoi(l) <= 255;
        });
    const bool host = labels.size() >= 2 && no_empty && domains.contains(labels.back());
    if (!after_path && (ipv4 || host)) add(at, end);
    at = next;
  }
  std::sort(found.begin(), found.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return found;
}

// An instruction to send data somewhere: a sending verb, then "to", then a
// destination, in one sentence ("pass its content to https://x.example/c").
// A URL alone is documentation; "send a request to https://api..." is how a
// client tool describes itself, so requests and queries do not count.
std::optional<Hit> find_exfiltration(std::string_view text, const std::string& low,
                                     const std::vector<Word>& words) {
  static const std::set<std::string> verbs = {"send",     "post",       "upload", "forward",
                                              "transmit", "exfiltrate", "leak",   "pass",
                                              "deliver",  "relay",      "beacon", "copy"};
  static const std::set<std::string> harmless = {"request", "requests", "query", "queries", "ping"};
  // What may stand between "to" and the destination: "to the server at
  // https://...". Other words mean the URL is not where the data goes ("pass
  // the URL to fetch, e.g. https://...").
  static const std::set<std::string> connectors = {
      "the",       "a",      "an",     "this",     "that", "my",      "our",
      "following", "remote", "server", "endpoint", "url",  "address", "host",
      "webhook",   "site",   "api",    "at",       "via"};
  for (const Span& destination : destinations(low)) {
    const size_t at = word_at(words, destination.begin);
    if (at == 0 || at >= words.size()) continue;
    const size_t sentence = words[at].sentence;
    std::optional<size_t> to;
    for (size_t i = at; i-- > 0 && at - i <= 4 && words[i].sentence == sentence;) {
      if (words[i].text == "to" || words[i].text == "into") {
        to = i;
        break;
      }
      if (!connectors.contains(words[i].text)) break;
    }
    if (!to) continue;
    for (size_t i = *to; i-- > 0 && *to - i <= 10 && words[i].sentence == sentence;) {
      if (harmless.contains(words[i].text)) break;
      if (!verbs.contains(words[i].text)) continue;
      return Hit{
          words[i].begin, destination.end,
          "tells the model to send data to " +
              printable(text.substr(destination.begin, destination.end - destination.begin), 80)};
    }
  }
  return std::nullopt;
}

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

std::string printable(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t fits = 0;  // how much of `out` fits with "..." after it
  for (size_t at = 0; at < text.size();) {
    const CodePoint cp = decode(text, at);
    const std::string unit = shown(text, cp, at);
    if (out.size() + unit.size() > max_bytes) {
      out.resize(fits);
      return out + "...";
    }
    out += unit;
    if (out.size() + 3 <= max_bytes) fits = out.size();
    at += cp.length;
  }
  return out;
}

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
