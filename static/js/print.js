// «Печать»: a link to the page's print version (?print=1) that, with script,
// opens the browser's print dialog at once (the print stylesheet does the
// rest). Any page may use it: <a href="?print=1" data-print>…</a>.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-print]");
    if (!link || typeof window.print !== "function") return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.print();
  });
})();
