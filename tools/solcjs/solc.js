#!/usr/bin/env node
// Minimal solc CLI over solc-js (WebAssembly build of the same compiler), for py-solc-x / ape-solidity
// and Slither. Supports `--version` and `--standard-json` (input on stdin, output on stdout) with
// `--base-path`, `--include-path` and `--allow-paths`; imports resolve against those paths.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const solc = require(path.join(root, "node_modules", "solc"));

const args = process.argv.slice(2);
if (args.includes("--version")) {
  const v = solc.version(); // e.g. 0.8.28+commit.7893614a.Emscripten.clang
  process.stdout.write("solc, the solidity compiler commandline interface\nVersion: " + v + "\n");
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("solc-js wrapper: only --version and --standard-json are supported\n");
  process.exit(2);
}

const searchRoots = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if ((a === "--base-path" || a === "--include-path") && args[i + 1]) searchRoots.push(path.resolve(args[++i]));
  else if (a === "--allow-paths" && args[i + 1]) {
    for (const p of args[++i].split(",")) if (p) searchRoots.push(path.resolve(p));
  }
}
searchRoots.push(process.cwd(), path.join(root, "node_modules"));

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : searchRoots.map((r) => path.join(r, importPath));
  for (const c of candidates) {
    try {
      return { contents: fs.readFileSync(c, "utf8") };
    } catch (_) { /* try next */ }
  }
  return { error: "File not found: " + importPath + " (searched " + searchRoots.join(", ") + ")" };
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  if (process.env.SOLCJS_DEBUG) fs.writeFileSync(process.env.SOLCJS_DEBUG, JSON.stringify({args, cwd: process.cwd(), input: JSON.parse(input)}, null, 1));
  process.stdout.write(solc.compile(input, { import: findImports }));
});
