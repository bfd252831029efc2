#include "images/gateway_image.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "docker/tar_writer.h"
#include "images/bridge.h"
#include "images/build_request.h"
#include "images/engine_images.h"
#include "util/error.h"

namespace ccmcp::images {

namespace {

// The context's file, gone when the build ends however it ends.
class TempTar {
 public:
  TempTar() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/cc-mcp-gateway-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0)
      throw Error(ErrorKind::io, "gateway image", "cannot make a temporary file in " + pattern,
                  "check TMPDIR");
    ::close(fd);
    path_ = pattern;
  }
  ~TempTar() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

GatewayImage ensure_gateway_image(docker::Engine& engine) {
  BridgeBinary bridge = locate_bridge();
  std::string hex = bridge.digest.substr(bridge.digest.find(':') + 1);
  GatewayImage image;
  image.reference = std::string(kGatewayRepository) + ":" + hex.substr(0, 16);
  if (auto found = inspect_image(engine, image.reference)) {
    image.id = found->id;
    return image;
  }
  // No shell, no libraries, no files but the bridge: uid 1001 like the servers.
  std::string dockerfile = std::string("FROM scratch\nCOPY cc-mcp-bridge ") + kGatewayBridgePath +
                           "\nUSER 1001:1001\nENTRYPOINT [\"" + kGatewayBridgePath +
                           "\", \"gateway\"]\n";
  TempTar tar;
  {
    docker::TarWriter writer(tar.path());
    writer.add_bytes("Dockerfile", dockerfile);
    writer.add_path("cc-mcp-bridge", bridge.path);
    writer.finish();
  }
  BuildRequest request;
  request.server = "gateway";
  request.context_tar = tar.path();
  request.tags = {image.reference};
  request.labels = {{"dev.cc-mcp.gateway", "true"}, {"dev.cc-mcp.bridge-digest", bridge.digest}};
  SilentReporter quiet;
  image.id = run_build(engine, request, quiet);
  return image;
}

}  // namespace ccmcp::images
