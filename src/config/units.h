// Parsers for the small value languages of mcp.json. Each returns nothing
// when the text is not of its kind; the caller words the message.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccmcp::config {

// "512m", "1g", "1.5g", "2048k", "1073741824" (bytes). Binary units, any case,
// an optional trailing "b" ("512mb"). Docker's own notation.
std::optional<uint64_t> parse_size(std::string_view text);
std::string format_size(uint64_t bytes);  // 536870912 -> "512m"

// "0.5", "2": a positive decimal.
std::optional<double> parse_cpus(std::string_view text);

// "30m", "24h", "7d", "1h30m": one or more <number><s|m|h|d|w>.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
std::string format_duration(std::chrono::seconds duration);

// [a-z0-9][a-z0-9._-]{0,62}: also a valid part of a container name.
bool is_valid_server_name(std::string_view name);
// A POSIX environment variable name: [A-Za-z_][A-Za-z0-9_]*.
bool is_valid_env_name(std::string_view name);
// A Docker image reference: [registry[:port]/]repo[/repo...][:tag][@digest].
bool is_valid_image_reference(std::string_view ref);
// An npm package name: [@scope/]name, lowercase, URL-safe.
bool is_valid_npm_package(std::string_view name);

}  // namespace ccmcp::config
