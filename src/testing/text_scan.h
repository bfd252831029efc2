// The text that tool scans read, as the model would: UTF-8 decoded by hand
// (the scanner must see exactly the bytes the server sent), characters people
// cannot see named, words lowercased with their sentences, and excerpts and
// printable forms that are safe to show in a report. Internal to src/testing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::tester {

struct CodePoint {
  char32_t value = 0;
  size_t length = 1;
  bool valid = true;  // false: one byte that starts no well-formed sequence
};

// The character at byte `at` (which must be < text.size()).
CodePoint decode(std::string_view text, size_t at);

// C0 and C1 controls but tab and line breaks.
bool is_control(char32_t c);

// What a character is when people cannot see it ("zero width space",
// "bidirectional override", ...); nullptr for one they can.
const char* invisible_kind(char32_t c);

// "U+202E"
std::string code_point_name(char32_t c);

// The bytes [begin, end) with up to ~40 bytes either side, printable and at
// most 160 bytes long, "..." where it was cut.
std::string excerpt(std::string_view text, size_t begin, size_t end);

// `text` made safe to print: control, invisible and bidirectional characters
// as \u{202E}, bytes that are not UTF-8 as \x{FF}, tabs and line breaks as
// spaces; cut to at most `max_bytes` with "..." where it was cut.
std::string printable(std::string_view text, size_t max_bytes = 160);

// ASCII letters lowercased, every other byte as it is (offsets stay valid).
std::string lower(std::string_view text);

// A word, lowercased, with its bytes in the text and the sentence it is in:
// the phrase rules match words, so extra spaces, line breaks, punctuation and
// invisible characters inside a word ("ig\u200Bnore") change nothing.
struct Word {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
  size_t sentence = 0;
};

// The words of `text` in order ("don't" gives "do", "not"); invisible format
// characters inside a word are skipped.
std::vector<Word> words_of(std::string_view text);

// The first word that ends after byte `offset` (words.size() when none).
size_t word_at(const std::vector<Word>& words, size_t offset);

}  // namespace ccmcp::tester
