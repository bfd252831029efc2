// The image part of the security scan: what the image would do if run
// without cc-mcp's flags, and what it carries. Rules (rule id, severity):
//   image.user           fail  runs as root by default (no USER, or 0/root)
//   image.setuid         fail  a setuid or setgid file
//   image.world-writable fail  a world-writable folder outside /tmp
//                        warn  ... one of the usual sticky temp folders
//                              (/var/tmp, /run/lock, /var/lock, /dev/shm)
//   image.secret         fail  a private key or token in ENV, a label or a
//                              file of the application folder
//   image.entrypoint     fail  the entrypoint is not cc-mcp-bridge
//   image.ports          fail  a port other than 3000/tcp exposed
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "testing/finding.h"
#include "testing/image_files.h"

namespace ccmcp::tester {

// The application folder: the image's WorkingDir, else /app.
std::string application_folder(const nlohmann::json& image_inspect);

// Which files' content the image and dependency scans read: the
// application folder's text files, and package manifests and lockfiles
// anywhere.
ContentChoice scan_content_choice(const std::string& application_folder);

// Rules on the image's config alone (user, entrypoint, ports, ENV, labels).
Findings scan_image_config(const nlohmann::json& image_inspect);

// Rules on its files (setuid, world-writable, secrets in the application).
Findings scan_image_files(const ImageFiles& files, const std::string& application_folder);

}  // namespace ccmcp::tester
