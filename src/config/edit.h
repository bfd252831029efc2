// Rewrites mcp.json text so that it holds new data while keeping everything
// else the user wrote: comments, key order, blank lines and indentation.
#pragma once

#include <string>

#include "config/jsonc.h"

namespace ccmcp::config {

struct RewriteResult {
  std::string text;
  // False when the change could not be spliced into the text and the file
  // was written out anew (comments, if any, are then lost).
  bool layout_kept = true;
};

// Text whose data equals `target`, made by splicing the smallest changes
// into `doc.text`: changed values are replaced where they stand, removed
// members are cut with their lines, new members are appended to their
// object in its indentation. The result is parsed again and compared with
// `target`; if that ever differs, the file is serialised anew instead.
RewriteResult rewrite_keeping_layout(const JsoncDocument& doc, const Json& target);

}  // namespace ccmcp::config
