/* Turns the book's single page (Sphinx's singlehtml build) into the printed book, in the
 * browser that prints it (tools/pdf.py evaluates this function with the page's own scripts
 * off). Nothing here runs on the website.
 *
 * - The page's navigation (sidebars, header buttons, search, footer) goes; what is left is
 *   one article: a title page, the contents, then every document in _toc.yml's order, each
 *   starting on a new page. Sphinx nests the chapters inside the introduction's last section
 *   (where its table of contents stands) as <h3>; each document is moved out and its
 *   headings renumbered from <h1>, so the PDF's outline has one entry per chapter.
 * - Every collapsed block is printed open: exercise solutions (their toggle becomes the
 *   heading "Solution: code and output"), self-check answers, "In PyTorch" blocks.
 * - A slider widget keeps its starting frame; its controls become one line under the
 *   frame, "Slider: learning rate = 0.4" (each slider's label and value).
 * - The contents list each document and its sections, each with a page number that
 *   tools/pdf.py fills in (setPageNumbers) from where the first printing put the heading.
 *
 * Returns { entries: [{id, title, level}] }, the contents' entries (level 1 for a document,
 * 2 for a section) in order, or throws naming what is missing.
 */
(book) => {
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const article = document.querySelector("article.bd-article");
  const rootSection = article && article.querySelector(":scope > section");
  if (!rootSection) throw new Error("no article with a section: not a Sphinx singlehtml page");

  // Every document, out of the introduction's toctree, keyed by its docname.
  const sections = new Map([[book.root, rootSection]]);
  for (const marker of article.querySelectorAll('span[id^="document-"]')) {
    sections.set(marker.id.slice("document-".length), marker.nextElementSibling);
  }
  const missing = book.docs.filter((d) => !sections.get(d.doc)).map((d) => d.doc);
  if (missing.length) throw new Error(`documents missing from the page: ${missing.join(", ")}`);
  for (const doc of book.docs) sections.get(doc.doc).remove();
  for (const wrapper of rootSection.querySelectorAll(".toctree-wrapper")) wrapper.remove();

  // Headings renumbered so that each document's title is an <h1>.
  const renumber = (section) => {
    const headings = [...section.querySelectorAll("h1, h2, h3, h4, h5, h6")];
    const shift = Number(headings[0].tagName[1]) - 1;
    for (const old of headings) {
      const level = Math.min(6, Number(old.tagName[1]) - shift);
      const heading = document.createElement(`h${level}`);
      for (const { name, value } of old.attributes) heading.setAttribute(name, value);
      heading.append(...old.childNodes);
      old.replaceWith(heading);
    }
  };
  // A heading's content for the contents (math included), without its "#" link.
  const headingContent = (heading) => {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll("a.headerlink").forEach((a) => a.remove());
    copy.removeAttribute("id");
    return [...copy.childNodes];
  };
  // Each contents entry links to its heading by an id of its own: Sphinx's section ids
  // repeat across documents on the single page ("summary", "exercises"), and a link to a
  // repeated id would find the first document's section and its page.
  const entries = [];
  const entry = (className, heading, number) => {
    heading.id = `pdf-entry-${entries.length + 1}`;
    // The bookmark's title: the heading's text, a formula as its MathML's characters
    // (without the TeX annotation).
    const text = heading.cloneNode(true);
    text.querySelectorAll("a.headerlink, annotation").forEach((a) => a.remove());
    entries.push({
      id: heading.id,
      title: text.textContent.replace(/\s+/g, " ").trim(),
      level: Number(heading.tagName[1]),
    });
    const item = make("li", className);
    const a = make("a");
    a.href = `#${heading.id}`;
    if (number) a.append(make("span", "pdf-toc-number", number));
    const content = make("span", "pdf-toc-text");
    content.append(...headingContent(heading));
    const page = make("span", "pdf-toc-page", "000");
    page.dataset.target = heading.id;
    a.append(content, make("span", "pdf-toc-leader"), page);
    item.append(a);
    return item;
  };

  // The book: title page, contents, documents.
  const title = make("section", "pdf-title-page");
  title.append(
    make("p", "pdf-title", book.title),
    make("p", "pdf-lecture", book.lecture),
    make("p", "pdf-author", book.author),
    make("p", "pdf-edition", book.edition),
  );
  const contents = make("nav", "pdf-contents");
  contents.setAttribute("aria-label", "Contents");
  const contentsTitle = make("h1", "", "Contents");
  contentsTitle.id = "pdf-contents";
  const list = make("ol");
  contents.append(contentsTitle, list);
  const docs = [];
  let part = null;
  for (const doc of [{ doc: book.root, label: "", part: "" }, ...book.docs]) {
    const section = sections.get(doc.doc);
    renumber(section);
    const wrapper = make("div", "pdf-doc");
    if (doc.label) wrapper.append(make("p", "pdf-chapter-label", doc.label));
    wrapper.append(section);
    docs.push(wrapper);
    if (doc.part !== part && doc.part) list.append(make("li", "pdf-toc-part", doc.part));
    part = doc.part;
    const item = entry("pdf-toc-doc", section.querySelector("h1"), doc.number);
    const subsections = section.querySelectorAll(":scope > section");
    if (subsections.length) {
      const sub = make("ol", "pdf-toc-sections");
      for (const s of subsections) {
        sub.append(entry("pdf-toc-section", s.querySelector("h2"), ""));
      }
      item.append(sub);
    }
    list.append(item);
  }
  article.replaceChildren(title, contents, ...docs);

  // Only the article is printed: no sidebars, header, footer, dialogs or scripts.
  const container = article.closest(".bd-main");
  container.querySelectorAll(":scope .bd-article-container > :not(article)").forEach((n) => n.remove());
  container.querySelectorAll(":scope .bd-content > :not(.bd-article-container)").forEach((n) => n.remove());
  document.body.replaceChildren(container);
  document.querySelectorAll("script").forEach((s) => s.remove());
  document.documentElement.dataset.theme = "light";
  document.documentElement.dataset.mode = "light";

  // Collapsed blocks print open.
  for (const details of article.querySelectorAll("details")) {
    details.open = true;
    if (details.closest(".cell.tag_hide-cell") && details.parentElement.matches(".cell")) {
      details.querySelector(":scope > summary").replaceChildren(
        make("p", "admonition-title", "Solution: code and output"),
      );
    }
  }

  // Sliders: the starting frame, with each slider's label and value written under it.
  for (const widget of article.querySelectorAll(".lecnotes-widget")) {
    const values = [...widget.querySelectorAll(".lw-control")].map(
      (c) => `${c.querySelector("label").textContent} = ${c.querySelector("output").textContent}`,
    );
    const line = make("p", "pdf-slider-values");
    line.textContent = `${values.length > 1 ? "Sliders" : "Slider"}: ${values.join("; ")}`;
    widget.querySelectorAll(".lw-controls, .lw-hint, .lw-data").forEach((n) => n.remove());
    widget.append(line);
  }

  // Code and printed output: one block per line, so that a line too long for the page
  // wraps with a hanging indent (4 characters past its own indentation) and never breaks
  // across pages. A short block (at most book.shortLines lines) is kept on one page.
  const linesOf = (node) => {
    // The node's content cut at each newline: one list of nodes per line. An element that
    // spans lines (a string token over several lines) is cloned into each.
    if (node.nodeType === Node.TEXT_NODE) {
      return node.data.split("\n").map((part) => (part ? [document.createTextNode(part)] : []));
    }
    const lines = [[]];
    for (const child of [...node.childNodes]) {
      const [first, ...rest] = linesOf(child);
      lines[lines.length - 1].push(...first);
      lines.push(...rest);
    }
    return lines.map((nodes) => {
      if (!nodes.length) return [];
      const copy = node.cloneNode(false);
      copy.append(...nodes);
      return [copy];
    });
  };
  for (const pre of article.querySelectorAll("pre")) {
    const lines = [[]];
    for (const child of [...pre.childNodes]) {
      const [first, ...rest] = linesOf(child);
      lines[lines.length - 1].push(...first);
      lines.push(...rest);
    }
    if (!lines[lines.length - 1].length) lines.pop(); // the newline ending the last line
    pre.replaceChildren(
      ...lines.map((nodes) => {
        const line = make("span", "pdf-line");
        line.append(...nodes);
        const hang = line.textContent.match(/^ */)[0].length + 4;
        line.style.paddingLeft = `${hang}ch`;
        line.style.textIndent = `-${hang}ch`;
        return line;
      }),
    );
    if (lines.length <= book.shortLines) {
      // The cell's own frame, not only the code in it: a frame kept apart from its code
      // left an empty box at the foot of a page.
      const frame = pre.closest(".cell_input, .cell_output") || pre.closest("div.highlight");
      (frame || pre).classList.add("pdf-short");
    }
  }

  return { entries };
}
