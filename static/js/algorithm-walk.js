// The wizard of an algorithm: a «Печать» button, and how many items of the
// result's checklist are ticked. Progressive enhancement: without
// JavaScript the checkboxes work and the browser prints the page (Ctrl+P).
// The ticks stay in the page: nothing is sent or stored.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-checklist]").forEach(function (form) {
    var progress = form.querySelector("[data-checklist-progress]");
    var boxes = form.querySelectorAll("input[type=checkbox]");
    function update() {
      var done = 0;
      boxes.forEach(function (box) { if (box.checked) done += 1; });
      if (!progress) return;
      // The sentence comes translated from the page: «Отмечено: {done} из {total}.»
      progress.textContent = progress.getAttribute("data-checklist-progress")
        .replace("{done}", done).replace("{total}", boxes.length);
    }
    form.addEventListener("change", update);
    // «Снять все отметки» resets the form; the boxes change after the event.
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update();
  });
})();
