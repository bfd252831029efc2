#include "images/bridge.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/unique_fd.h"

namespace ccmcp::images {

namespace {

bool read_at(int fd, void* buffer, size_t size, off_t offset) {
  return ::pread(fd, buffer, size, offset) == static_cast<ssize_t>(size);
}

std::string file_digest(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Error(ErrorKind::build, path.string(), "cannot read: " + system_problem(errno));
  Sha256 digest;
  char buffer[1 << 16];
  for (ssize_t n; (n = ::read(fd.get(), buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Error(ErrorKind::build, path.string(), "cannot read: " + system_problem(errno));
    digest.update(std::string_view(buffer, static_cast<size_t>(n)));
  }
  return "sha256:" + digest.hex_digest();
}

}  // namespace

bool is_dynamically_linked(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Error(ErrorKind::build, path.string(), "cannot read: " + system_problem(errno));
  Elf64_Ehdr header{};
  if (!read_at(fd.get(), &header, sizeof header, 0) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
    throw Error(ErrorKind::build, path.string(), "is not a 64-bit ELF executable",
                "point $CC_MCP_BRIDGE at the cc-mcp-bridge that cc-mcp was built with");
  for (int i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr program{};
    if (!read_at(
            fd.get(), &program, sizeof program,
            static_cast<off_t>(header.e_phoff + static_cast<uint64_t>(i) * header.e_phentsize)))
      break;
    if (program.p_type == PT_INTERP) return true;
  }
  return false;
}

BridgeBinary locate_bridge() {
  std::filesystem::path path;
  std::string origin;
  if (const char* env = std::getenv("CC_MCP_BRIDGE"); env && *env) {
    path = env;
    origin = "$CC_MCP_BRIDGE";
  } else {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
      throw Error(ErrorKind::build, "cc-mcp-bridge", "cannot tell where cc-mcp is installed",
                  "set CC_MCP_BRIDGE to the path of cc-mcp-bridge");
    path = self.parent_path() / "cc-mcp-bridge";
    origin = "the folder of cc-mcp";
  }
  if (::access(path.c_str(), X_OK) != 0)
    throw Error(ErrorKind::build, path.string(),
                "cc-mcp-bridge is not there (looked in " + origin + ")",
                "build it (cmake --build build) or set CC_MCP_BRIDGE to its path");
  if (is_dynamically_linked(path))
    throw Error(ErrorKind::build, path.string(), "is dynamically linked",
                "images need the static cc-mcp-bridge of the normal build, not a sanitized one");
  return {path, file_digest(path)};
}

}  // namespace ccmcp::images
