// The no-op rule of `cc-mcp build`: an image is rebuilt only when one of the
// inputs that made it changed. They are all known without fetching
// anything: the spec from mcp.json, the exact version or commit (for a
// floating spec, the one the current image was built from), a digest of a
// local folder or Dockerfile context, the template kind and the templates'
// text, the base and builder image ids, the bridge binary, the build args
// and the network switch. Their digest is stored in the image's labels.
#pragma once

#include <string>

#include "config/model.h"

namespace ccmcp::images {

struct RecipeInputs {
  std::string spec;
  std::string version;
  std::string commit;
  std::string content_digest;  // local folders and Dockerfile contexts
  std::string template_kind;   // "node", "node-builder", "python", "wrap", "dockerfile"
  std::string base_id;
  std::string builder_id;  // node-builder only
  std::string bridge_digest;
  config::StringPairs build_args;
  bool network = false;
};

// "sha256:<hex>"; any change of an input changes it.
std::string recipe_digest(const RecipeInputs& inputs);

}  // namespace ccmcp::images
