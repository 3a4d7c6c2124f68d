// The search page only (_ext/static_math.py adds this script there). A result's summary
// quotes its page's text around the query. The pages' math is typeset at build time, so
// their text holds MathML where the reader's MathJax used to leave TeX: put each formula's
// TeX back (from its MathML annotation) before the summary is cut, so summaries read as
// before and a query for a TeX command ("nabla") shows the formula that holds it.
document.addEventListener("DOMContentLoaded", () => {
  const pageText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    for (const math of page.querySelectorAll("mjx-container")) {
      const tex = math.querySelector('annotation[encoding="application/x-tex"]');
      const display = math.getAttribute("display") === "true";
      const [open, close] = display ? ["\\[", "\\]"] : ["\\(", "\\)"];
      math.replaceWith(tex ? open + tex.textContent + close : "");
    }
    return pageText(page.documentElement.outerHTML, anchor);
  };
});
