// Wheels for a Python project's build, fetched on the host: the build
// backend (setuptools and wheel from Debian's python3-*-whl packages when
// they fit, so that a stdlib-only project needs no index at all) and its
// dependencies with `pip download --only-binary=:all:` (wheels only: an
// sdist would run its build on the host). Inside the image build, pip
// installs from these with --no-index.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccmcp::sources {

// Where Debian keeps the wheels of pip, setuptools and wheel.
inline constexpr const char* kHostWheels = "/usr/share/python-wheels";

// Fills `wheels_dir` with what `requirements` (build backend and
// dependencies, PEP 508 strings) need. `python_version` ("3.11", may be
// empty) is the image's Python, for which the wheels are chosen. Throws
// Error (build) when pip is missing or PyPI cannot be reached for what the
// host does not have.
void fetch_python_wheels(const std::vector<std::string>& requirements,
                         const std::filesystem::path& wheels_dir, const std::string& python_version,
                         const std::filesystem::path& host_wheels = kHostWheels);

}  // namespace ccmcp::sources
