#include <gtest/gtest.h>

#include "images/ensure.h"
#include "images/plan.h"
#include "images/project.h"
#include "test_util.h"
#include "util/error.h"

namespace ccmcp::images {
namespace {

using ccmcp::testing::TempDir;
using ccmcp::testing::write_file;

config::Server docker_server(const std::string& name) {
  config::Server server;
  server.name = name;
  server.mode = config::Mode::docker;
  return server;
}

TEST(ImagePlan, KindsFromTheConfig) {
  config::Server npm = docker_server("fs");
  npm.source = config::Source{};
  npm.source->type = config::SourceType::npm;
  npm.source->package = "@x/fs";
  npm.args = {"/data"};
  ImagePlan plan = plan_image(npm);
  EXPECT_EQ(plan.kind, SourceKind::npm);
  EXPECT_EQ(plan.repository, "cc-mcp/fs");
  EXPECT_EQ(plan.spec, "npm @x/fs@latest");
  EXPECT_EQ(plan.server_args, std::vector<std::string>{"/data"});

  config::Server git = docker_server("g");
  git.source = config::Source{};
  git.source->type = config::SourceType::git;
  git.source->repository = "https://example.com/r.git";
  git.source->tag = "v1";
  git.source->subpath = "srv";
  EXPECT_EQ(plan_image(git).spec, "git https://example.com/r.git tag v1 path srv");

  config::Server dockerfile = docker_server("d");
  dockerfile.docker = config::DockerBuild{};
  dockerfile.docker->dockerfile = "/p/build/Dockerfile";
  dockerfile.image = "ignored:1";  // a dockerfile wins over an image name
  plan = plan_image(dockerfile);
  EXPECT_EQ(plan.kind, SourceKind::dockerfile);
  EXPECT_EQ(plan.context, "/p/build");
  EXPECT_EQ(plan.spec, "dockerfile /p/build/Dockerfile in /p/build");

  config::Server ready = docker_server("r");
  ready.image = "ghcr.io/x/y:1";
  plan = plan_image(ready);
  EXPECT_EQ(plan.kind, SourceKind::image);
  EXPECT_EQ(plan.image, "ghcr.io/x/y:1");
}

TEST(ImagePlan, Phase2NpxBuildsThePackageWithTheRestAsArguments) {
  config::Server memory = docker_server("memory");
  memory.command = "npx";
  memory.args = {"-y", "@modelcontextprotocol/server-memory@2026.8.31", "--flag"};
  memory.docker = config::DockerBuild{};
  memory.docker->image = "cc-mcp/memory:latest";
  ImagePlan plan = plan_image(memory);
  EXPECT_EQ(plan.kind, SourceKind::npm);
  EXPECT_EQ(plan.source.package, "@modelcontextprotocol/server-memory");
  EXPECT_EQ(plan.source.version, "2026.8.31");
  EXPECT_EQ(plan.server_args, std::vector<std::string>{"--flag"});
  EXPECT_EQ(container_args(memory), std::vector<std::string>{"--flag"});

  memory.command = "uvx";  // not inferred: the named image is used as it is
  EXPECT_EQ(plan_image(memory).kind, SourceKind::image);
  EXPECT_EQ(container_args(memory), memory.args);
}

TEST(ImagePlan, RefusesExternalAndEmptyServers) {
  config::Server external;
  external.name = "ext";
  external.command = "node";
  external.args = {"x"};
  EXPECT_THROW(plan_image(external), Error);
  EXPECT_EQ(container_args(external), external.args);
  EXPECT_THROW(plan_image(docker_server("empty")), Error);
}

TEST(Project, NodeBinVariants) {
  TempDir dir;
  write_file(dir / "package.json", R"({"name": "@s/tool", "bin": "./dist/cli.js"})");
  EXPECT_EQ(read_node_project(dir.path()).entry, "dist/cli.js");
  write_file(dir / "package.json",
             R"({"name": "@s/tool", "bin": {"b": "b.js", "tool": "t.js", "a": "a.js"}})");
  EXPECT_EQ(read_node_project(dir.path()).entry, "t.js");  // named like the package
  EXPECT_EQ(read_node_project(dir.path(), "a").entry, "a.js");
  EXPECT_THROW(read_node_project(dir.path(), "zz"), Error);
  write_file(dir / "package.json", R"({"name": "x", "bin": {"b": "b.js", "a": "a.js"}})");
  EXPECT_EQ(read_node_project(dir.path()).entry, "a.js");  // the first by name
  write_file(dir / "package.json",
             R"({"name": "x", "main": "lib/main.js", "scripts": {"build": "tsc"}})");
  NodeProject project = read_node_project(dir.path());
  EXPECT_EQ(project.entry, "lib/main.js");
  EXPECT_TRUE(project.has_build);
  write_file(dir / "package.json", R"({"name": "x", "bin": "../outside.js"})");
  EXPECT_THROW(read_node_project(dir.path()), Error);
  write_file(dir / "package.json", R"({"name": "x"})");
  EXPECT_THROW(read_node_project(dir.path()), Error);
}

TEST(Project, PythonScriptsAndDependencies) {
  TempDir dir;
  write_file(dir / "pyproject.toml", R"(
[build-system]
requires = ["hatchling"]

[project]
name = "my-server"
version = "1.0"
dependencies = [
  "httpx>=0.27",  # a comment
  "mcp",
]

[project.scripts]
other = "x:y"
my-server = "my_server:main"
)");
  write_file(dir / "requirements.txt", "# pinned\nanyio==4.0\n\n");
  PythonProject project = read_python_project(dir.path());
  EXPECT_EQ(project.name, "my-server");
  EXPECT_EQ(project.script, "my-server");
  EXPECT_EQ(project.build_requires, std::vector<std::string>{"hatchling"});
  EXPECT_EQ(project.dependencies, (std::vector<std::string>{"httpx>=0.27", "mcp", "anyio==4.0"}));

  write_file(dir / "pyproject.toml", "[project]\nname = \"a-b\"\n");
  std::filesystem::remove(dir / "requirements.txt");
  project = read_python_project(dir.path());
  EXPECT_EQ(project.script, "");
  EXPECT_EQ(project.module, "a_b");
  EXPECT_EQ(project.build_requires, (std::vector<std::string>{"setuptools>=40.8.0", "wheel"}));
  write_file(dir / "pyproject.toml", "[project\nname=");
  EXPECT_THROW(read_python_project(dir.path()), Error);
}

TEST(Project, DetectionOrder) {
  TempDir dir;
  EXPECT_THROW(detect_project(dir.path()), Error);
  write_file(dir / "Dockerfile", "FROM x\n");
  EXPECT_EQ(detect_project(dir.path()).kind, ProjectKind::dockerfile);
  write_file(dir / "pyproject.toml", "[project]\nname = \"p\"\n");
  EXPECT_EQ(detect_project(dir.path()).kind, ProjectKind::python);
  write_file(dir / "package.json", R"({"name": "n", "main": "i.js"})");
  EXPECT_EQ(detect_project(dir.path()).kind, ProjectKind::node);
}

TEST(Project, InstallScriptsFromTheHiddenLockfile) {
  TempDir dir;
  EXPECT_FALSE(has_install_scripts(dir.path()));
  std::filesystem::create_directories(dir / "node_modules");
  write_file(dir / "node_modules" / ".package-lock.json",
             R"({"packages": {"node_modules/a": {"version": "1"}}})");
  EXPECT_FALSE(has_install_scripts(dir.path()));
  write_file(dir / "node_modules" / ".package-lock.json",
             R"({"packages": {"node_modules/a": {"hasInstallScript": true}}})");
  EXPECT_TRUE(has_install_scripts(dir.path()));
}

}  // namespace
}  // namespace ccmcp::images
