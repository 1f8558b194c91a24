// Runs a built Sphinx site's own search code outside the browser (Node, no dependencies).
//
//   node tools/dlbook/search_harness.js SITE < queries.json > results.json
//
// Loads SITE/_static/searchtools.js, SITE/_static/language_data.js (the search language's stemmer
// and splitter) and SITE/searchindex.js into one script context, in the order the search page
// loads them, with the few browser globals they touch stubbed. For each query string it runs the
// steps of Search.query that pick the results (_parseQuery, then _performSearch) and prints
// {query: [docname, ...]} as JSON, in the order the search page would list them.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({
  console,
  window: { location: { search: "" } },
  document: { getElementById: () => null, querySelectorAll: () => [] },
  localStorage: { setItem: () => {} },
  URLSearchParams,
  SPHINX_HIGHLIGHT_ENABLED: false,
  _ready: () => {},
  _: (s) => s,
});
context.window.document = context.document;
for (const file of ["_static/searchtools.js", "_static/language_data.js", "searchindex.js"]) {
  vm.runInContext(fs.readFileSync(path.join(site, file), "utf8"), context, { filename: file });
}
const run = vm.runInContext(`(query) => {
  const [q, terms, excluded, highlight, objects] = Search._parseQuery(query);
  return Search._performSearch(q, terms, excluded, highlight, objects).map((r) => r[0]).reverse();
}`, context);
const out = {};
for (const query of queries) out[query] = [...new Set(run(query))];
process.stdout.write(JSON.stringify(out));
