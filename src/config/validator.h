// Internal to validate.cc and validate_blocks.cc: the walker that checks one
// document and remembers what it found.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "config/validate.h"

namespace ccmcp::config::detail {

class Validator {
 public:
  Validator(const JsoncDocument& doc, std::filesystem::path file, std::string display_name);

  Validation run();

 private:
  void check_server(const std::string& name, const Json& value, const JsonPath& path);
  void check_volumes(Server& server, const Json& value, const JsonPath& path);
  void check_volume(Server& server, const std::string& host, const std::string& target,
                    const JsonPath& path);
  StringPairs check_string_map(const Json& value, const JsonPath& path, bool env_names);
  void check_limits(Server& server, const Json& value, const JsonPath& path);
  void check_network(Server& server, const Json& value, const JsonPath& path);
  std::optional<Source> check_source(const Json& value, const JsonPath& path);
  std::optional<DockerBuild> check_docker(const Json& value, const JsonPath& path);

  // Reports keys of `object` that are not in `known` as warnings, suggesting
  // the nearest known key.
  void check_known_keys(const Json& object, const JsonPath& path,
                        std::initializer_list<const char*> known);

  std::optional<std::string> string_at(const Json& object, const JsonPath& path, const char* key,
                                       bool required = false);
  std::optional<bool> bool_at(const Json& object, const JsonPath& path, const char* key);
  bool expect_object(const Json& value, const JsonPath& path, const char* what);

  std::filesystem::path resolve(const std::string& path_text) const;

  void error(const JsonPath& path, std::string problem, std::string hint = {});
  void warning(const JsonPath& path, std::string problem, std::string hint = {});
  void key_error(const JsonPath& path, std::string problem, std::string hint = {});

  const JsoncDocument& doc_;
  std::filesystem::path file_;
  std::filesystem::path dir_;
  std::string display_name_;
  Validation result_;
};

const char* json_type_name(const Json& value);
// For a number or boolean where a string belongs: "quote it: \"8080\"".
std::string quote_hint(const Json& value);

}  // namespace ccmcp::config::detail
