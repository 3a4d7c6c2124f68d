/* Static sliders for the book's site: swap precomputed frames as a reader moves a slider.
 *
 * Each widget is a <div data-lecnotes-widget> made by lecnotes.widgets: real
 * <input type="range"> elements (mouse, touch and arrow keys for free), one <output>
 * readout per slider, the picture, and a JSON <script> with every frame. Frames are stored
 * in row-major order over the sliders, the last slider moving fastest.
 */
(function () {
  "use strict";

  function setup(root) {
    var data = JSON.parse(root.querySelector("script.lw-data").textContent);
    var inputs = root.querySelectorAll(".lw-control input[type=range]");
    var outputs = root.querySelectorAll(".lw-control output");
    var view = root.querySelector(".lw-frame");

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
        view.src = "data:" + data.mime + ";base64," + data.frames[flat];
        view.alt = data.alts[flat];
      }
      root.setAttribute("data-frame", String(flat));
    }

    for (var k = 0; k < inputs.length; k++) {
      inputs[k].addEventListener("input", update);
    }
    update();
  }

  function init() {
    var roots = document.querySelectorAll("[data-lecnotes-widget]");
    for (var k = 0; k < roots.length; k++) {
      if (!roots[k].hasAttribute("data-ready")) {
        roots[k].setAttribute("data-ready", "");
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
