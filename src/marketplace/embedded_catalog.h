// The catalog compiled into cc-mcp (a JSON list of packages).
#pragma once

namespace ccmcp::marketplace {

const char* embedded_catalog_text();

}  // namespace ccmcp::marketplace
