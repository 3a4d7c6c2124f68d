// Typeset the math of many pages with MathJax's Node API, in one process (_ext/static_math.py).
//
// stdin:  {"fontURL": "...", "pages": {"<page>": ["<text of a math element>", ...], ...}}
// stdout: {"pages": {"<page>": {"html": ["<markup>", ...], "css": "...", "errors": [...]}}}
//
// Each text is what a math element of the page holds, as the reader's MathJax would have
// found it (\(...\), \[...\], $$...$$ or \begin{env}...\end{env}, HTML entities already
// decoded). MathJax finds and typesets the math in each text exactly as in the browser
// (the same TeX packages as tex-chtml.js, CHTML output, assistive MathML for screen
// readers) and returns the element's new content. "css" is the page's stylesheet: only the
// rules for the characters, delimiters and node kinds that page uses. An undefined macro
// or a TeX error is reported in "errors" rather than drawn in red.
"use strict";

const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const request = JSON.parse(fs.readFileSync(0, "utf8"));

require(path.join(ROOT, "node_modules", "mathjax"))
  .init({
    loader: {
      paths: {mathjax: path.join(ROOT, "node_modules", "mathjax", "es5")},
      load: ["input/tex", "output/chtml", "adaptors/liteDOM", "a11y/assistive-mml"],
      versionWarnings: false,
    },
    // tex-chtml.js's packages, without noundefined: an unknown macro is an error here.
    tex: {packages: {"[-]": ["noundefined"]}, formatError: recordError},
    // The font size cannot be measured here: a stylesheet rule (below) matches the
    // surrounding font's x-height, as matchFontHeight does in the browser.
    chtml: {fontURL: request.fontURL, matchFontHeight: false},
    startup: {typeset: false},
  })
  .then(typesetAll)
  .catch((err) => {
    process.stderr.write(`typeset_math.js: ${err.stack || err}\n`);
    process.exit(1);
  });

let errors = [];

function recordError(jax, err) {
  errors.push(err.message);
  return jax.formatError(err);
}

async function typesetAll(MathJax) {
  const result = {};
  for (const [page, texts] of Object.entries(request.pages)) {
    errors = [];
    result[page] = {...(await typesetPage(MathJax, texts)), errors};
  }
  process.stdout.write(JSON.stringify({pages: result}));
}

async function typesetPage(MathJax, texts) {
  const adaptor = MathJax.startup.adaptor;
  const output = MathJax.startup.output;
  output.clearCache(); // the stylesheet holds only what this page uses
  const doc = MathJax.startup.getDocument("<html><head></head><body></body></html>");
  const body = adaptor.body(doc.document);
  const holders = texts.map((text) =>
    adaptor.append(body, adaptor.node("div", {}, [adaptor.text(text)])),
  );
  // TeX extensions are loaded when first used (autoload): render again until all are there.
  await MathJax._.mathjax.mathjax.handleRetriesFor(() => doc.render());
  for (const item of doc.math) {
    annotate(adaptor, item);
    trim(adaptor, item.typesetRoot);
    // A display formula too wide for a phone scrolls inside its own block (the theme's
    // stylesheet), which a keyboard must be able to reach, as the browser's MathJax allowed.
    if (item.display) adaptor.setAttribute(item.typesetRoot, "tabindex", "0");
  }
  for (const holder of holders) {
    const left = adaptor.childNodes(holder).filter((node) => adaptor.kind(node) === "#text");
    if (left.some((node) => /\\[(\[]|\$\$|\\begin/.test(adaptor.value(node)))) {
      errors.push(`math left untypeset: ${adaptor.textContent(holder).slice(0, 80)}`);
    }
  }
  // MathJax writes one rule per paragraph, indented: one rule per line is enough.
  const rules = adaptor.textContent(output.styleSheet(doc)).trim().split("\n\n");
  rules.push(matchFontHeight(output.font.params.x_height));
  rules.push(`mjx-container[jax="CHTML"] {position: relative;}`); // see trim()
  const css = rules.map((rule) => rule.replace(/\s*\n\s*/g, "")).join("\n");
  return {html: holders.map((holder) => adaptor.innerHTML(holder)), css};
}

// In the browser, MathJax scales each formula so that its x-height (x_height em of its own
// font) matches the surrounding text's: font-size = 1ex / x_height, rounded to 0.1 % of
// the surrounding font size. CSS can say the same; a browser without CSS round() (Chrome
// before 125, Firefox before 118, Safari before 15.4) takes the first, unrounded, one.
function matchFontHeight(xHeight) {
  const size = `calc(1ex * ${(1 / xHeight).toFixed(4)})`;
  const rounded = `round(nearest, ${size}, 0.001em)`;
  return `mjx-container[jax="CHTML"] {font-size: ${size};font-size: ${rounded};}`;
}

// The formula's TeX goes into its assistive MathML as an annotation, which neither the
// page nor a screen reader shows: the page text keeps the TeX commands that the search
// index holds (search summaries quote them, _ext/search_math.js), as the browser's
// MathJax left them.
function annotate(adaptor, item) {
  const math = adaptor.tags(item.typesetRoot, "math")[0];
  const children = adaptor.childNodes(math).slice();
  children.forEach((child) => adaptor.remove(child));
  const shown = children.length === 1 ? children[0] : adaptor.node("mrow", {}, children);
  const source = [adaptor.text(item.math)];
  const tex = adaptor.node("annotation", {encoding: "application/x-tex"}, source);
  adaptor.append(math, adaptor.node("semantics", {}, [shown, tex]));
}

// Attributes that say nothing in an HTML page, written once per formula: the MathML
// namespace (the HTML parser puts <math> in it), IE's "unselectable" (the stylesheet's
// user-select does it), and the container's position, which the stylesheet now sets.
function trim(adaptor, container) {
  if (adaptor.getAttribute(container, "style") === "position: relative;") {
    adaptor.removeAttribute(container, "style");
  }
  for (const mml of adaptor.tags(container, "mjx-assistive-mml")) {
    adaptor.removeAttribute(mml, "unselectable");
  }
  for (const math of adaptor.tags(container, "math")) adaptor.removeAttribute(math, "xmlns");
}
