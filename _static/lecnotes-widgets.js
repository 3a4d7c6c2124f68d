/* Static sliders for the book's site: swap precomputed frames as a reader moves a slider,
 * and keep every slider's position in the page's address so that a view can be shared.
 *
 * Each widget is a <div data-lecnotes-widget id="lw-NAMES"> made by lecnotes.widgets: real
 * <input type="range"> elements (mouse, touch and arrow keys for free), one <output>
 * readout per slider, the picture, and a JSON <script> naming every frame. Frames are
 * listed in row-major order over the sliders, the last slider moving fastest; an image
 * frame is a URL (a file the build wrote, see _ext/widget_frames.py), so a first visit
 * loads only the picture shown, and the others are fetched when a reader first reaches
 * for a slider (plain <img> loads: they work from file:// too).
 *
 * Address: one query parameter per widget that is not at its starting position, named by
 * the widget (its id without "lw-": the slider names joined by "-", plus "-2", "-3" for a
 * later widget with the same sliders on the page) and holding the readouts, comma-separated:
 * 08_learning_rates.html?lr=31.6 or 07_optimizers.html?scale-beta=3.16,0.0#lw-scale-beta.
 * Values are readouts rather than positions, so a link survives a rebuild that changes the
 * figures or adds positions; a value a slider no longer has is ignored. Moving a slider
 * rewrites the address with history.replaceState once it pauses for SAVE_DELAY ms (no
 * history entry per move, and not more updates than browsers allow); opening an address
 * restores every widget it names.
 */
(function () {
  "use strict";

  var PREFIX = "lw-";
  var SAVE_DELAY = 150; // ms: one address update per drag or key repeat, not per step
  var COPIED = "Link copied.";
  var NOT_COPIED = "Could not copy: the address bar holds the link to this view.";

  /* The query parameters as [name, value] pairs, decoded, in order. */
  function queryPairs() {
    return location.search
      .replace(/^\?/, "")
      .split("&")
      .filter(Boolean)
      .map(function (part) {
        var eq = part.indexOf("=");
        var name = eq < 0 ? part : part.slice(0, eq);
        var value = eq < 0 ? "" : part.slice(eq + 1);
        return [decodeURIComponent(name), value];
      });
  }

  /* The readouts saved for widget `key` in the address, or null. */
  function savedLabels(key) {
    var pairs = queryPairs();
    for (var k = 0; k < pairs.length; k++) {
      if (pairs[k][0] === key) {
        return pairs[k][1].split(",").map(decodeURIComponent);
      }
    }
    return null;
  }

  /* Replace (or remove, when `labels` is null) widget `key`'s parameter, keeping the rest. */
  function saveLabels(key, labels) {
    var parts = [];
    var done = false;
    location.search
      .replace(/^\?/, "")
      .split("&")
      .filter(Boolean)
      .forEach(function (part) {
        var eq = part.indexOf("=");
        if (decodeURIComponent(eq < 0 ? part : part.slice(0, eq)) !== key) {
          parts.push(part);
        } else if (labels && !done) {
          parts.push(encodeURIComponent(key) + "=" + labels.map(encodeURIComponent).join(","));
          done = true;
        }
      });
    if (labels && !done) {
      parts.push(encodeURIComponent(key) + "=" + labels.map(encodeURIComponent).join(","));
    }
    var search = parts.length ? "?" + parts.join("&") : "";
    history.replaceState(history.state, "", location.pathname + search + location.hash);
  }

  /* Copy `text` to the clipboard; calls done(true) or done(false). Works offline. */
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(true); },
        function () { done(copyByCommand(text)); }
      );
    } else {
      done(copyByCommand(text));
    }
  }

  function copyByCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  /* A "Copy link to this view" button and a status line for it, after the controls. */
  function addShareButton(root, controls) {
    var share = document.createElement("div");
    share.className = "lw-share";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "lw-copy";
    button.innerHTML = '<i class="fa-solid fa-link" aria-hidden="true"></i> ';
    button.appendChild(document.createTextNode("Copy link to this view"));
    var status = document.createElement("span");
    status.className = "lw-copy-status";
    status.setAttribute("role", "status");
    share.appendChild(button);
    share.appendChild(status);
    controls.insertAdjacentElement("afterend", share);
    var timer = null;
    button.addEventListener("click", function () {
      var link = location.href.replace(/#.*$/, "") + "#" + root.id;
      copyText(link, function (ok) {
        status.textContent = ok ? COPIED : NOT_COPIED;
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = ""; }, 6000);
      });
    });
  }

  function setup(root) {
    var data = JSON.parse(root.querySelector("script.lw-data").textContent);
    var controls = root.querySelector(".lw-controls");
    var inputs = root.querySelectorAll(".lw-control input[type=range]");
    var outputs = root.querySelectorAll(".lw-control output");
    var view = root.querySelector(".lw-frame");
    var key = root.id.slice(PREFIX.length);

    function update() {
      var flat = 0;
      for (var k = 0; k < inputs.length; k++) {
        var i = Number(inputs[k].value);
        var label = data.labels[k][i];
        flat = flat * data.sizes[k] + i;
        outputs[k].textContent = label;
        inputs[k].setAttribute("aria-valuetext", label);
      }
      if (data.mime === "text/plain") {
        view.textContent = data.frames[flat];
      } else {
        view.src = data.frames[flat];
        view.alt = data.alts[flat];
      }
      root.setAttribute("data-frame", String(flat));
    }

    /* The address names this widget's view, or nothing when every slider is at its start. */
    var pending = null;
    function saveSoon() {
      clearTimeout(pending);
      pending = setTimeout(save, SAVE_DELAY);
    }
    function save() {
      var labels = [];
      var moved = false;
      for (var k = 0; k < inputs.length; k++) {
        labels.push(data.labels[k][Number(inputs[k].value)]);
        moved = moved || inputs[k].value !== inputs[k].defaultValue;
      }
      saveLabels(key, moved ? labels : null);
    }

    var saved = savedLabels(key);
    if (saved && saved.length === inputs.length) {
      for (var k = 0; k < inputs.length; k++) {
        var index = data.labels[k].indexOf(saved[k]);
        if (index >= 0) {
          inputs[k].value = String(index);
        }
      }
    }
    for (var j = 0; j < inputs.length; j++) {
      inputs[j].addEventListener("input", update);
      inputs[j].addEventListener("input", saveSoon);
    }
    /* Fetch every frame once a reader reaches for a slider (pointer or keyboard), so that
     * moving it swaps pictures already in the browser's cache. */
    var fetched = data.mime === "text/plain";
    function fetchFrames() {
      if (!fetched) {
        fetched = true;
        data.frames.forEach(function (url) { new Image().src = url; });
      }
    }
    controls.addEventListener("pointerdown", fetchFrames);
    controls.addEventListener("focusin", fetchFrames);
    addShareButton(root, controls);
    update();
  }

  /* A later widget with the same sliders as an earlier one gets "-2", "-3", ... (ids of the
   * widget, its sliders and the labels and readouts that point to them), so that every
   * widget has its own id and its own parameter in the address. */
  function makeUnique(root, seen) {
    var base = root.id;
    var count = (seen[base] || 0) + 1;
    seen[base] = count;
    if (count === 1) {
      return;
    }
    var id = base + "-" + count;
    root.id = id;
    root.querySelectorAll("[id^='" + base + "-']").forEach(function (el) {
      el.id = id + el.id.slice(base.length);
    });
    root.querySelectorAll("label[for], output[for]").forEach(function (el) {
      el.setAttribute("for", id + el.getAttribute("for").slice(base.length));
    });
  }

  function init() {
    var roots = document.querySelectorAll("[data-lecnotes-widget]");
    var seen = {};
    for (var k = 0; k < roots.length; k++) {
      if (!roots[k].hasAttribute("data-ready")) {
        roots[k].setAttribute("data-ready", "");
        makeUnique(roots[k], seen);
        setup(roots[k]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
