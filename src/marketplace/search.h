// Ranking packages for `cc-mcp search QUERY`: every word of the query must
// be found in the name, title, description or keywords; the score favours
// an exact name, then a name that starts with the query, words in the name,
// the title, the keywords, the description. Ties go by name. A query of no
// words lists every package, by name.
#pragma once

#include <string>
#include <vector>

#include "marketplace/package.h"

namespace ccmcp::marketplace {

struct SearchHit {
  const Package* package;
  int score;
};

std::vector<SearchHit> search_packages(const std::vector<Package>& packages,
                                       const std::string& query);

}  // namespace ccmcp::marketplace
