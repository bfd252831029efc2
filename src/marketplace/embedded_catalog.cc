// The embedded default catalog: real MCP servers published on npm, in the
// package format (package.h), so that the marketplace works with no
// configuration. No ratings: this catalog has none, and none are invented.
// A package that calls an API names its hosts in config.network (the
// server's allow-list, mcp.json "network"); "full" where no list can hold
// its destinations: aws-kb-retrieval (a region's endpoint), kubernetes (the
// user's cluster), fetch (any URL it is asked for).
//
// Every package here passes the tester on the local Node 18 base with no
// network (tests/marketplace/catalog_wide_test.bash, ctest label catalog):
// context7 and firecrawl are pinned to their newest versions that run on
// Node 18 (later ones need Node 20 and 22). Left out, because the tester's
// gate refuses them as published: postgres, redis and supabase reach their
// service at start or while listing (the tester runs with no network),
// heroku needs Node 20, gitlab's create_or_update_file has an
// inputSchema that is not an object, puppeteer and playwright need a browser.
#include "marketplace/embedded_catalog.h"

namespace ccmcp::marketplace {

const char* embedded_catalog_text() {
  return R"json([
 {
  "name": "filesystem",
  "title": "Filesystem",
  "description": "Read, write, search and edit files in the folders you allow",
  "author": "Anthropic (modelcontextprotocol/servers)",
  "keywords": [
   "files",
   "filesystem",
   "directories",
   "edit"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-filesystem"
  },
  "config": {
   "volumes": {
    "./project": "/workspace"
   },
   "args": [
    "/workspace"
   ]
  },
  "security": {
   "permissions": [
    "filesystem:/workspace"
   ],
   "sandbox": "strict"
  },
  "tests": {
   "calls": [
    {
     "tool": "list_allowed_directories",
     "arguments": {},
     "expect": {
      "contains": "/workspace"
     }
    }
   ]
  }
 },
 {
  "name": "memory",
  "title": "Knowledge graph memory",
  "description": "Persistent memory for Claude through a local knowledge graph of entities and relations",
  "author": "Anthropic (modelcontextprotocol/servers)",
  "keywords": [
   "memory",
   "knowledge graph",
   "notes"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-memory"
  },
  "config": {
   "volumes": {
    "./memory": "/data"
   },
   "environment": {
    "MEMORY_FILE_PATH": "/data/memory.jsonl"
   }
  },
  "tests": {
   "calls": [
    {
     "tool": "read_graph",
     "arguments": {}
    }
   ]
  }
 },
 {
  "name": "everything",
  "title": "Everything",
  "description": "Exercises every feature of the MCP protocol: tools, prompts, resources, sampling; for testing clients",
  "author": "Anthropic (modelcontextprotocol/servers)",
  "keywords": [
   "test",
   "reference",
   "protocol",
   "demo"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-everything"
  },
  "tests": {
   "calls": [
    {
     "tool": "echo",
     "arguments": {
      "message": "hi"
     },
     "expect": {
      "contains": "hi"
     }
    }
   ]
  }
 },
 {
  "name": "sequential-thinking",
  "title": "Sequential thinking",
  "description": "Structured, step-by-step thinking and problem solving with revisions and branches",
  "author": "Anthropic (modelcontextprotocol/servers)",
  "keywords": [
   "thinking",
   "reasoning",
   "planning"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-sequential-thinking"
  }
 },
 {
  "name": "github",
  "title": "GitHub",
  "description": "Repositories, issues, pull requests and code search through the GitHub API",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "github",
   "git",
   "issues",
   "pull requests"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-github"
  },
  "environmentVariables": [
   {
    "name": "GITHUB_PERSONAL_ACCESS_TOKEN",
    "description": "a GitHub personal access token",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.github.com:443"
    ]
   }
  }
 },
 {
  "name": "brave-search",
  "title": "Brave Search",
  "description": "Web and local search through the Brave Search API",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "search",
   "web",
   "brave"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-brave-search"
  },
  "environmentVariables": [
   {
    "name": "BRAVE_API_KEY",
    "description": "a Brave Search API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.search.brave.com:443"
    ]
   }
  }
 },
 {
  "name": "slack",
  "title": "Slack",
  "description": "Read and post messages, channels and users of a Slack workspace",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "slack",
   "chat",
   "messages"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-slack"
  },
  "environmentVariables": [
   {
    "name": "SLACK_BOT_TOKEN",
    "description": "the bot token (xoxb-...)",
    "isRequired": true,
    "isSecret": true
   },
   {
    "name": "SLACK_TEAM_ID",
    "description": "the workspace id (T...)",
    "isRequired": true,
    "isSecret": false
   }
  ],
  "config": {
   "network": {
    "allow": [
     "slack.com:443"
    ]
   }
  }
 },
 {
  "name": "google-maps",
  "title": "Google Maps",
  "description": "Geocoding, places, directions and distances through the Google Maps API",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "maps",
   "geocoding",
   "places",
   "directions"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-google-maps"
  },
  "environmentVariables": [
   {
    "name": "GOOGLE_MAPS_API_KEY",
    "description": "a Google Maps API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "maps.googleapis.com:443"
    ]
   }
  }
 },
 {
  "name": "aws-kb-retrieval",
  "title": "AWS Knowledge Base retrieval",
  "description": "Retrieval from an AWS Knowledge Base through the Bedrock Agent Runtime",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "aws",
   "bedrock",
   "rag",
   "retrieval"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-aws-kb-retrieval"
  },
  "environmentVariables": [
   {
    "name": "AWS_ACCESS_KEY_ID",
    "description": "the access key",
    "isRequired": true,
    "isSecret": true
   },
   {
    "name": "AWS_SECRET_ACCESS_KEY",
    "description": "the secret key",
    "isRequired": true,
    "isSecret": true
   },
   {
    "name": "AWS_REGION",
    "description": "e.g. us-east-1",
    "isRequired": true,
    "isSecret": false
   }
  ],
  "config": {
   "network": "full"
  }
 },
 {
  "name": "everart",
  "title": "EverArt",
  "description": "Image generation through the EverArt API",
  "author": "Anthropic (modelcontextprotocol/servers-archived)",
  "keywords": [
   "images",
   "art",
   "generation"
  ],
  "source": {
   "type": "npm",
   "url": "@modelcontextprotocol/server-everart"
  },
  "environmentVariables": [
   {
    "name": "EVERART_API_KEY",
    "description": "an EverArt API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.everart.ai:443"
    ]
   }
  }
 },
 {
  "name": "context7",
  "title": "Context7",
  "version": "1.0.14",
  "description": "Current documentation and code examples of libraries, fetched for the model",
  "author": "Upstash",
  "keywords": [
   "documentation",
   "docs",
   "libraries",
   "code"
  ],
  "source": {
   "type": "npm",
   "url": "@upstash/context7-mcp"
  },
  "environmentVariables": [
   {
    "name": "CONTEXT7_API_KEY",
    "description": "an API key for higher rate limits",
    "isRequired": false,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "context7.com:443"
    ]
   }
  }
 },
 {
  "name": "notion",
  "title": "Notion",
  "description": "Pages, databases and search of a Notion workspace through the Notion API",
  "author": "Notion",
  "keywords": [
   "notion",
   "notes",
   "wiki",
   "docs"
  ],
  "source": {
   "type": "npm",
   "url": "@notionhq/notion-mcp-server"
  },
  "environmentVariables": [
   {
    "name": "NOTION_TOKEN",
    "description": "a Notion integration token (ntn_...)",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.notion.com:443"
    ]
   }
  }
 },
 {
  "name": "firecrawl",
  "title": "Firecrawl",
  "version": "1.12.0",
  "description": "Search, scrape and crawl the web into clean markdown with Firecrawl",
  "author": "Firecrawl",
  "keywords": [
   "web",
   "scrape",
   "crawl",
   "search"
  ],
  "source": {
   "type": "npm",
   "url": "firecrawl-mcp"
  },
  "environmentVariables": [
   {
    "name": "FIRECRAWL_API_KEY",
    "description": "a Firecrawl API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.firecrawl.dev:443"
    ]
   }
  }
 },
 {
  "name": "tavily",
  "title": "Tavily",
  "description": "Web search and extraction for agents through the Tavily API",
  "author": "Tavily",
  "keywords": [
   "search",
   "web",
   "extract"
  ],
  "source": {
   "type": "npm",
   "url": "tavily-mcp"
  },
  "environmentVariables": [
   {
    "name": "TAVILY_API_KEY",
    "description": "a Tavily API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.tavily.com:443"
    ]
   }
  }
 },
 {
  "name": "exa",
  "title": "Exa",
  "description": "Web, code and company search through the Exa API",
  "author": "Exa Labs",
  "keywords": [
   "search",
   "web",
   "research"
  ],
  "source": {
   "type": "npm",
   "url": "exa-mcp-server"
  },
  "environmentVariables": [
   {
    "name": "EXA_API_KEY",
    "description": "an Exa API key",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.exa.ai:443"
    ]
   }
  }
 },
 {
  "name": "kubernetes",
  "title": "Kubernetes",
  "description": "Pods, deployments, services and logs of Kubernetes clusters through kubectl",
  "author": "Flux159",
  "keywords": [
   "kubernetes",
   "k8s",
   "kubectl",
   "containers"
  ],
  "source": {
   "type": "npm",
   "url": "mcp-server-kubernetes"
  },
  "config": {
   "volumes": {
    "~/.kube": "/home/mcp/.kube:ro"
   },
   "network": "full"
  }
 },
 {
  "name": "sentry",
  "title": "Sentry",
  "description": "Issues, errors and releases of Sentry projects",
  "author": "Sentry",
  "keywords": [
   "sentry",
   "errors",
   "monitoring",
   "issues"
  ],
  "source": {
   "type": "npm",
   "url": "@sentry/mcp-server"
  },
  "environmentVariables": [
   {
    "name": "SENTRY_ACCESS_TOKEN",
    "description": "a Sentry user auth token",
    "isRequired": true,
    "isSecret": true
   }
  ],
  "config": {
   "network": {
    "allow": [
     "sentry.io:443",
     "us.sentry.io:443",
     "de.sentry.io:443"
    ]
   }
  }
 },
 {
  "name": "browserbase",
  "title": "Browserbase",
  "description": "Browser automation in Browserbase's cloud browsers: navigate, act, extract",
  "author": "Browserbase",
  "keywords": [
   "browser",
   "automation",
   "web",
   "scrape"
  ],
  "source": {
   "type": "npm",
   "url": "@browserbasehq/mcp-server-browserbase"
  },
  "environmentVariables": [
   {
    "name": "BROWSERBASE_API_KEY",
    "description": "a Browserbase API key",
    "isRequired": true,
    "isSecret": true
   },
   {
    "name": "BROWSERBASE_PROJECT_ID",
    "description": "the project id",
    "isRequired": true,
    "isSecret": false
   }
  ],
  "config": {
   "network": {
    "allow": [
     "api.browserbase.com:443",
     "connect.browserbase.com:443"
    ]
   }
  }
 },
 {
  "name": "code-runner",
  "title": "Code Runner",
  "description": "Runs code snippets in many languages and returns their output",
  "author": "formulahendry",
  "keywords": [
   "code",
   "run",
   "execute",
   "javascript",
   "python"
  ],
  "source": {
   "type": "npm",
   "url": "mcp-server-code-runner"
  },
  "security": {
   "permissions": [
    "process:exec"
   ],
   "sandbox": "strict"
  }
 },
 {
  "name": "fetch",
  "title": "Fetch",
  "description": "Fetches web pages and returns them as text or markdown for the model",
  "author": "kazuph",
  "keywords": [
   "web",
   "fetch",
   "http",
   "markdown"
  ],
  "source": {
   "type": "npm",
   "url": "@kazuph/mcp-fetch"
  },
  "security": {
   "permissions": [
    "network:http"
   ],
   "sandbox": "strict"
  },
  "config": {
   "network": "full"
  }
 }
])json";
}

}  // namespace ccmcp::marketplace
