/*
 * The CX dashboard: show the «scroll sideways» cue and the edge fade only on
 * tables that really are wider than their box. Without this script the cue
 * shows on every table on narrow screens; nothing else depends on it.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("cx-js");
  var boxes = document.querySelectorAll(".cx-scroll");

  function update(box) {
    var region = box.querySelector(".table-scroll");
    if (!region) return;
    var overflow = region.scrollWidth > region.clientWidth + 1;
    box.classList.toggle("cx-scroll--overflow", overflow);
    box.classList.toggle(
      "cx-scroll--end",
      region.scrollLeft + region.clientWidth >= region.scrollWidth - 1
    );
  }

  function updateAll() {
    boxes.forEach(update);
  }

  boxes.forEach(function (box) {
    var region = box.querySelector(".table-scroll");
    if (region) region.addEventListener("scroll", function () { update(box); }, { passive: true });
  });
  // A closed <details> has nothing to measure until it opens.
  document.querySelectorAll(".cx-dashboard details").forEach(function (details) {
    details.addEventListener("toggle", updateAll);
  });
  window.addEventListener("resize", updateAll);
  updateAll();
})();
