#include "config/jsonc.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace ccmcp::config {
namespace {

JsoncDocument parse_ok(const std::string& text) {
  auto result = parse_jsonc(text);
  if (const auto* problem = std::get_if<ParseProblem>(&result))
    throw std::runtime_error("unexpected parse error " + std::to_string(problem->pos.line) + ":" +
                             std::to_string(problem->pos.column) + ": " + problem->problem);
  return std::get<JsoncDocument>(std::move(result));
}

// "LINE:COLUMN: problem (hint)", or "parsed" when the text parsed.
std::string parse_error(const std::string& text) {
  auto result = parse_jsonc(text);
  const auto* problem = std::get_if<ParseProblem>(&result);
  if (!problem) return "parsed";
  std::string out = std::to_string(problem->pos.line) + ":" + std::to_string(problem->pos.column) +
                    ": " + problem->problem;
  if (!problem->hint.empty()) out += " (" + problem->hint + ")";
  return out;
}

std::string at(const TextPos& pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

TEST(Jsonc, ValuesOfEveryType) {
  auto doc = parse_ok(R"({"s": "text", "i": 42, "n": -7, "f": 1.5, "e": 1e3, "neg": -0.25,
    "t": true, "fa": false, "nu": null, "o": {}, "a": [], "big": 18446744073709551615,
    "min": -9223372036854775808, "huge": 18446744073709551616})");
  const Json& r = doc.root;
  EXPECT_EQ(r["s"], "text");
  EXPECT_TRUE(r["i"].is_number_unsigned());
  EXPECT_EQ(r["i"].get<uint64_t>(), 42u);
  EXPECT_TRUE(r["n"].is_number_integer());
  EXPECT_EQ(r["n"].get<int64_t>(), -7);
  EXPECT_DOUBLE_EQ(r["f"].get<double>(), 1.5);
  EXPECT_TRUE(r["e"].is_number_float());
  EXPECT_DOUBLE_EQ(r["e"].get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(r["neg"].get<double>(), -0.25);
  EXPECT_EQ(r["t"], true);
  EXPECT_EQ(r["fa"], false);
  EXPECT_TRUE(r["nu"].is_null());
  EXPECT_TRUE(r["o"].is_object() && r["o"].empty());
  EXPECT_TRUE(r["a"].is_array() && r["a"].empty());
  EXPECT_EQ(r["big"].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(r["min"].get<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(r["huge"].is_number_float());
  EXPECT_FALSE(doc.has_comments);
  EXPECT_TRUE(doc.soft_problems.empty());
}

TEST(Jsonc, ScalarRootsAndNesting) {
  EXPECT_EQ(parse_ok("\"x\"").root, "x");
  EXPECT_EQ(parse_ok(" 0 ").root, 0);
  EXPECT_DOUBLE_EQ(parse_ok("-0.5e-1").root.get<double>(), -0.05);
  EXPECT_EQ(parse_ok("null").root, nullptr);
  auto doc = parse_ok(R"({"a": [1, {"b": [true, {"c": null}]}], "d": {"e": {"f": "g"}}})");
  EXPECT_EQ(doc.root, Json::parse(R"({"a": [1, {"b": [true, {"c": null}]}],
                                      "d": {"e": {"f": "g"}}})"));
  // Key order is kept.
  EXPECT_EQ(parse_ok(R"({"z": 1, "a": 2})").root.begin().key(), "z");
}

TEST(Jsonc, CommentsAndTrailingCommas) {
  auto doc = parse_ok(R"(// head
{
  /* block
     over lines */ "a": 1, // after
  "url": "http://x/*y*/", "b": [1, 2,], /**/
} // tail)");
  EXPECT_TRUE(doc.has_comments);
  EXPECT_EQ(doc.root, Json::parse(R"({"a": 1, "url": "http://x/*y*/", "b": [1, 2]})"));
  EXPECT_TRUE(parse_ok("/**/1").has_comments);
  EXPECT_TRUE(parse_ok("1//").has_comments);
  EXPECT_FALSE(parse_ok(R"({"u": "http://a//b"})").has_comments);
  // Trailing commas are remembered on the last member and item.
  auto trailing = parse_ok(R"({"a": [1,], "b": 2,})");
  EXPECT_EQ(trailing.find({std::string("b")})->comma_after, 18u);
  EXPECT_EQ(trailing.find({std::string("a"), size_t{0}})->comma_after, 8u);
}

TEST(Jsonc, ByteOrderMark) {
  auto doc = parse_ok("\xEF\xBB\xBF{\"a\": 1}");
  EXPECT_EQ(doc.root, Json::parse(R"({"a": 1})"));
  // The mark is invisible in editors: the brace is at column 1.
  EXPECT_EQ(at(doc.find({})->value), "1:1");
  EXPECT_EQ(at(doc.find({std::string("a")})->key), "1:2");
  EXPECT_EQ(doc.find({std::string("a")})->key.offset, 4u);
  EXPECT_EQ(at(doc.position_at(4)), "1:2");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF{,}"),
            "1:2: expected a key in double quotes or '}' but found ','");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF"),
            "1:1: the file is empty (start from {\"mcpServers\": {}})");
}

TEST(Jsonc, PositionsOfKeysAndValues) {
  auto doc = parse_ok("{\n  \"name\": \"x\",\n  \"list\": [1, {\"k\": true}]\n}\n");
  const NodeSpan* name = doc.find({std::string("name")});
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(at(name->key), "2:3");
  EXPECT_EQ(at(name->value), "2:11");
  EXPECT_EQ(name->value.offset, 12u);
  EXPECT_EQ(name->value_end, 15u);
  EXPECT_EQ(name->comma_after, 15u);
  EXPECT_TRUE(name->is_member);
  const NodeSpan* list = doc.find({std::string("list")});
  EXPECT_EQ(at(list->value), "3:11");
  EXPECT_EQ(list->comma_after, npos);
  EXPECT_EQ(doc.text[list->close], ']');
  const NodeSpan* k = doc.find({std::string("list"), size_t{1}, std::string("k")});
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(at(k->key), "3:16");
  EXPECT_EQ(at(k->value), "3:21");
  const NodeSpan* item = doc.find({std::string("list"), size_t{0}});
  EXPECT_EQ(at(item->key), "3:12");  // items: the key is the value
  EXPECT_FALSE(item->is_member);
  EXPECT_EQ(doc.text[doc.find({})->close], '}');
  // Missing paths point at the nearest ancestor that exists.
  EXPECT_EQ(doc.find({std::string("nope")}), nullptr);
  EXPECT_EQ(at(doc.pos_of({std::string("list"), size_t{1}, std::string("zz")})), "3:15");
  EXPECT_EQ(at(doc.key_pos_of({std::string("list")})), "3:3");
  EXPECT_EQ(at(doc.pos_of({std::string("nope")})), "1:1");
  EXPECT_EQ(at(doc.position_at(doc.find({std::string("list")})->value.offset)), "3:11");
}

TEST(Jsonc, ColumnsCountCharactersNotBytes) {
  // 日 and 本 are three bytes each; é is two.
  auto doc = parse_ok("{\"日本\": 1, \"b\": 2,\n \"é\": \"é\", \"c\": 3}");
  const NodeSpan* b = doc.find({std::string("b")});
  EXPECT_EQ(b->key.offset, 14u);
  EXPECT_EQ(at(b->key), "1:11");
  EXPECT_EQ(at(b->value), "1:16");
  const NodeSpan* c = doc.find({std::string("c")});
  EXPECT_EQ(at(c->key), "2:12");
  EXPECT_EQ(at(doc.position_at(c->key.offset)), "2:12");
  EXPECT_EQ(parse_error("{\"é\": 1 \"b\": 2}"),
            "1:9: expected ',' or '}' but found '\"' (is a comma missing after the value of "
            "\"é\"?)");
}

TEST(Jsonc, Escapes) {
  auto doc = parse_ok(R"(["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\u0000x"])");
  EXPECT_EQ(doc.root[0], "\"\\/\b\f\n\r\t");
  EXPECT_EQ(doc.root[1], "é€");
  EXPECT_EQ(doc.root[2], "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(doc.root[3].get<std::string>(), std::string("\0x", 2));
}

struct BadText {
  const char* name;
  std::string text;
  std::string expected;
};

void PrintTo(const BadText& bad, std::ostream* os) {
  *os << bad.name;
}

class JsoncErrors : public ::testing::TestWithParam<BadText> {};

TEST_P(JsoncErrors, ReportsLineColumnAndMessage) {
  EXPECT_EQ(parse_error(GetParam().text), GetParam().expected) << GetParam().text;
}

const std::string kEmpty = "the file is empty (start from {\"mcpServers\": {}})";
const std::string kEscapes =
    "unknown escape in a string (valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; "
    "write a backslash as \\\\)";

INSTANTIATE_TEST_SUITE_P(
    Table, JsoncErrors,
    ::testing::Values(
        BadText{"missing_comma", "{\n  \"a\": 1\n  \"b\": 2\n}",
                "3:3: expected ',' or '}' but found '\"' (is a comma missing after the value of "
                "\"a\"?)"},
        BadText{"missing_comma_array", "[1 2]",
                "1:4: expected ',' or ']' but found '2' (is a comma missing between two items?)"},
        BadText{"missing_colon", "{\"a\" 1}", "1:6: expected ':' after the key \"a\""},
        BadText{"bare_key", "{a: 1}",
                "1:2: expected a key in double quotes or '}' but found 'a' (put the key in double "
                "quotes)"},
        BadText{"unterminated_string", "{\"a\": \"abc",
                "1:7: unterminated string (close it with a double quote)"},
        BadText{"string_across_lines", "{\n \"a\": \"ab\ncd\"}",
                "2:7: unterminated string (close it with a double quote)"},
        BadText{"unterminated_object", "{\n  \"a\": 1,\n",
                "1:1: this object is never closed (add the missing '}')"},
        BadText{"unterminated_inner_object", "{\"a\": {\"b\": 1",
                "1:7: this object is never closed (add the missing '}')"},
        BadText{"unterminated_array", "{\"a\": [1, 2",
                "1:7: this array is never closed (add the missing ']')"},
        BadText{"unterminated_comment", "{}\n  /* note",
                "2:3: unterminated /* comment (close it with */)"},
        BadText{"missing_value", "{\"a\":",
                "1:6: expected a value but found the end of the file (a value is a string in "
                "double quotes, a number, true, false, null, {...} or [...])"},
        BadText{"single_quotes", "{\"a\": 'x'}",
                "1:7: strings need double quotes, not single quotes (write \"text\")"},
        BadText{"trailing_garbage", "{} x",
                "1:4: unexpected text after the end of the document (remove it, or wrap "
                "everything in one object)"},
        BadText{"second_document", "{}\n{}",
                "2:1: unexpected text after the end of the document (remove it, or wrap "
                "everything in one object)"},
        BadText{"empty", "", "1:1: " + kEmpty},
        BadText{"whitespace_only", "  \n\t\r\n ", "3:2: " + kEmpty},
        BadText{"comment_only", "// nothing\n/* here */", "2:11: " + kEmpty},
        BadText{"leading_zero", "{\"a\": 012}",
                "1:7: a number with a leading zero (write it without the zero, or as a string)"},
        BadText{"negative_leading_zero", "[-00]",
                "1:2: a number with a leading zero (write it without the zero, or as a string)"},
        BadText{"lone_minus", "[-]", "1:2: a '-' that is not followed by a number"},
        BadText{"no_fraction_digits", "[1.]", "1:4: a number with no digits after the '.'"},
        BadText{"no_exponent_digits", "[1e+]", "1:5: a number with no digits in its exponent"},
        BadText{"number_too_large", "[1e999]", "1:2: a number too large to represent"},
        BadText{"bad_word", "[tru]",
                "1:2: expected a value but found 't' (a value is a string in double quotes, a "
                "number, true, false, null, {...} or [...])"},
        BadText{"bad_escape", "{\"a\": \"x\\q\"}", "1:9: " + kEscapes},
        BadText{"bad_escape_after_utf8", "[\"é\\x\"]", "1:4: " + kEscapes},
        BadText{"bad_unicode_escape", "[\"\\u12g4\"]",
                "1:3: bad \\u escape (write \\u followed by four hex digits)"},
        BadText{"short_unicode_escape", "[\"\\u12", "1:3: incomplete \\u escape (write \\uXXXX)"},
        BadText{"lone_high_surrogate", "[\"\\ud800x\"]",
                "1:3: a lone UTF-16 surrogate in a \\u escape"},
        BadText{"lone_low_surrogate", "[\"\\udc00\"]",
                "1:3: a lone UTF-16 surrogate in a \\u escape"},
        BadText{"bad_surrogate_pair", "[\"\\ud800\\u0041\"]", "1:3: a bad UTF-16 surrogate pair"},
        BadText{"invalid_utf8_byte", "{\"a\": \"x\xFFy\"}",
                "1:9: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"overlong_two_bytes", "[\"\xC0\xAF\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"overlong_three_bytes", "[\"\xE0\x80\xAF\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"overlong_four_bytes", "[\"\xF0\x80\x80\xAF\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"encoded_surrogate", "[\"\xED\xA0\x80\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"beyond_unicode", "[\"\xF4\x90\x80\x80\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"truncated_sequence", "[\"\xE2\x82\"]",
                "1:3: a string that is not valid UTF-8 (save the file as UTF-8)"},
        BadText{"stray_byte_outside_string", "[\xFF]",
                "1:2: expected a value but found a character that is not JSON (a value is a "
                "string in double quotes, a number, true, false, null, {...} or [...])"},
        BadText{"control_character", "{\"a\": \"x\ty\"}",
                "1:9: a control character inside a string (escape it, e.g. \\t or \\n)"},
        BadText{"too_deep", std::string(202, '[') + std::string(202, ']'),
                "1:202: nested more than 200 levels deep (flatten the value)"},
        BadText{"far_too_deep", std::string(100000, '['),
                "1:202: nested more than 200 levels deep (flatten the value)"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Jsonc, ValidUtf8Passes) {
  auto doc = parse_ok(
      "[\"\xC2\xA9 \xE2\x82\xAC \xED\x9F\xBF \xEE\x80\x80 \xF0\x90\x80\x80 "
      "\xF4\x8F\xBF\xBF\"]");
  // Everything parsed can also be written out again.
  EXPECT_NO_THROW((void)doc.root.dump());
}

TEST(Jsonc, NestingUpTo200LevelsIsFine) {
  auto doc = parse_ok(std::string(201, '[') + std::string(201, ']'));
  const Json* value = &doc.root;
  int depth = 0;
  while (value->is_array() && !value->empty()) {
    value = &(*value)[0];
    ++depth;
  }
  EXPECT_EQ(depth, 200);
}

TEST(Jsonc, DuplicateKeysAreSoftProblems) {
  auto doc = parse_ok("{\"a\": 1,\n \"b\": {\"x\": 1}, \"c\": {\"x\": 2},\n \"a\": 2}");
  ASSERT_EQ(doc.soft_problems.size(), 1u);
  const ParseProblem& p = doc.soft_problems[0];
  EXPECT_EQ(at(p.pos), "3:2");
  EXPECT_EQ(p.problem, "duplicate key \"a\", first at line 1");
  EXPECT_EQ(p.hint, "keep one of them");
  EXPECT_EQ(doc.root["a"], 2);  // the parse went on; the last one counts
  EXPECT_EQ(doc.root.size(), 3u);
}

TEST(Jsonc, PathToString) {
  using P = JsonPath;
  EXPECT_EQ(path_to_string(P{}), "");
  EXPECT_EQ(path_to_string(
                P{std::string("mcpServers"), std::string("fs"), std::string("args"), size_t{0}}),
            "mcpServers.fs.args[0]");
  EXPECT_EQ(path_to_string(P{std::string("volumes"), std::string("./data")}),
            "volumes[\"./data\"]");
  EXPECT_EQ(path_to_string(P{std::string("mcpServers"), std::string("my server")}),
            "mcpServers[\"my server\"]");
  EXPECT_EQ(path_to_string(P{std::string("s"), std::string("fs.v2"), std::string("x")}),
            "s[\"fs.v2\"].x");
  EXPECT_EQ(path_to_string(P{std::string("0fs")}), "[\"0fs\"]");
  EXPECT_EQ(path_to_string(P{std::string("my-server"), std::string("_x")}), "my-server._x");
  EXPECT_EQ(path_to_string(P{std::string("a\"b")}), "[\"a\\\"b\"]");
  EXPECT_EQ(path_to_string(P{std::string("")}), "[\"\"]");
  EXPECT_EQ(path_to_string(P{size_t{3}, size_t{1}}), "[3][1]");
  EXPECT_EQ(path_to_string(child(P{std::string("a")}, size_t{2})), "a[2]");
}

}  // namespace
}  // namespace ccmcp::config
