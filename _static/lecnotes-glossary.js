/* Definitions of glossary terms where a chapter uses them.
 *
 * A chapter links the first use of a glossary term ({term} role); _ext/glossary_terms.py
 * gives that link the entry's names and definition as its title, which a browser shows on
 * hover after a delay, and never on keyboard focus or touch. This script shows it at once,
 * on hover and on focus, in one popover (role="tooltip", named by aria-describedby while
 * it is shown) that the pointer can move onto and that Escape closes (WCAG 1.4.13). The
 * link still leads to the entry in the glossary. Without this script the title remains.
 */
(function () {
  "use strict";

  var HIDE_DELAY = 200; // ms: time to move the pointer from the link onto the popover
  var GAP = 6; // px between the link and the popover
  var tip = null;
  var shownFor = null;
  var hideTimer = null;

  function popover() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "lecnotes-term-tip";
      tip.className = "lecnotes-term-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", keep);
      tip.addEventListener("mouseleave", hideSoon);
      document.body.appendChild(tip);
    }
    return tip;
  }

  function keep() {
    clearTimeout(hideTimer);
  }

  /* Below the link, or above it when there is no room below; never past the window's sides. */
  function place(link, box) {
    var rect = link.getBoundingClientRect();
    var page = document.documentElement.clientWidth;
    var left = Math.max(GAP, Math.min(rect.left, page - box.offsetWidth - GAP));
    var top = rect.bottom + GAP;
    if (top + box.offsetHeight > window.innerHeight && rect.top > box.offsetHeight + GAP) {
      top = rect.top - box.offsetHeight - GAP;
    }
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    keep();
    if (shownFor && shownFor !== link) shownFor.removeAttribute("aria-describedby");
    var box = popover();
    box.textContent = link.dataset.definition;
    box.hidden = false;
    place(link, box);
    link.setAttribute("aria-describedby", box.id);
    shownFor = link;
  }

  function hide() {
    keep();
    if (!shownFor) return;
    shownFor.removeAttribute("aria-describedby");
    tip.hidden = true;
    shownFor = null;
  }

  function hideSoon() {
    keep();
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function init() {
    var links = document.querySelectorAll("a.reference[title]");
    Array.prototype.forEach.call(links, function (link) {
      if (!link.querySelector(".std-term")) return;
      link.dataset.definition = link.title;
      link.removeAttribute("title"); // one popover, not the browser's as well
      link.addEventListener("mouseenter", function () {
        show(link);
      });
      link.addEventListener("mouseleave", hideSoon);
      link.addEventListener("focus", function () {
        show(link);
      });
      link.addEventListener("blur", hide);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
