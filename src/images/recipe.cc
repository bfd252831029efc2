#include "images/recipe.h"

#include <nlohmann/json.hpp>

#include "images/dockerfile.h"
#include "util/sha256.h"

namespace ccmcp::images {

namespace {
// Raised when what a recipe means changes in a way its inputs do not show.
constexpr int kRecipeFormat = 1;
}  // namespace

std::string recipe_digest(const RecipeInputs& inputs) {
  nlohmann::ordered_json args = nlohmann::ordered_json::array();
  for (const auto& [key, value] : inputs.build_args) args.push_back({key, value});
  nlohmann::ordered_json all = {{"format", kRecipeFormat},
                                {"templates", templates_digest()},
                                {"spec", inputs.spec},
                                {"version", inputs.version},
                                {"commit", inputs.commit},
                                {"content", inputs.content_digest},
                                {"template", inputs.template_kind},
                                {"base", inputs.base_id},
                                {"builder", inputs.builder_id},
                                {"bridge", inputs.bridge_digest},
                                {"buildArgs", args},
                                {"network", inputs.network}};
  return "sha256:" + sha256_hex(all.dump());
}

}  // namespace ccmcp::images
