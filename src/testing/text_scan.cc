#include "testing/text_scan.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace ccmcp::tester {

namespace {

std::string hex(const char* format, uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned>(value));
  return buffer;
}

}  // namespace

// ---- UTF-8 ------------------------------------------------------------------

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

std::string code_point_name(char32_t c) {
  return hex("U+%04X", c);
}

namespace {

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

}  // namespace

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

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---- words --------------------------------------------------------------------

namespace {

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

}  // namespace

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

// The first word that ends after `offset` (words are in text order).
size_t word_at(const std::vector<Word>& words, size_t offset) {
  return static_cast<size_t>(std::partition_point(words.begin(), words.end(),
                                                  [&](const Word& w) { return w.end <= offset; }) -
                             words.begin());
}

}  // namespace ccmcp::tester
