#include "config/npx.h"

#include <filesystem>

#include "config/units.h"

namespace ccmcp::config {

std::pair<std::string, std::string> split_package_spec(const std::string& spec) {
  // The version follows the last '@' that is not the scope's leading one.
  size_t at = spec.find('@', spec.size() > 0 && spec[0] == '@' ? 1 : 0);
  if (at == std::string::npos) return {spec, ""};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

std::optional<NpxCommand> parse_npx(const std::string& command,
                                    const std::vector<std::string>& args) {
  std::string program = std::filesystem::path(command).filename().string();
  if (program != "npx") return std::nullopt;
  NpxCommand npx;
  std::string package_option;  // from -p/--package: then the next word is the command
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-y" || arg == "--yes" || arg == "-q" || arg == "--quiet" || arg == "--silent" ||
        arg == "--prefer-offline" || arg == "--prefer-online")
      continue;
    if ((arg == "-p" || arg == "--package") && i + 1 < args.size()) {
      package_option = args[++i];
      continue;
    }
    if (arg.rfind("--package=", 0) == 0) {
      package_option = arg.substr(10);
      continue;
    }
    if (arg == "--") {
      ++i;
      break;
    }
    if (!arg.empty() && arg[0] == '-') return std::nullopt;  // an npx option we do not know
    break;
  }
  if (i >= args.size() && package_option.empty()) return std::nullopt;
  std::string spec = package_option.empty() ? args[i] : package_option;
  auto [package, version] = split_package_spec(spec);
  if (!is_valid_npm_package(package)) return std::nullopt;
  npx.package = package;
  npx.version = version;
  if (!package_option.empty()) {
    if (i >= args.size()) return std::nullopt;  // -p PKG without a command
    npx.bin = args[i];
  }
  npx.args.assign(args.begin() + static_cast<long>(std::min(i + 1, args.size())), args.end());
  return npx;
}

}  // namespace ccmcp::config
