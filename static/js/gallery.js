// The article's image gallery: a thumbnail opens the image large in a modal
// dialog; «Предыдущее» / «Следующее» and the arrow keys (Home, End too) go
// through the images, Esc or «Закрыть» closes and puts the focus back on the
// thumbnail of the image last shown. Without script each thumbnail is a link
// to its image. The labels come from data attributes of the gallery (Russian,
// from the template's translations).
(function () {
  "use strict";

  function button(label, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "lightbox__button";
    element.textContent = label;
    element.setAttribute("data-lightbox-" + action, "");
    return element;
  }

  function attach(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll("a[data-gallery-item]"));
    if (!links.length) return;
    var labels = gallery.dataset;
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", labels.labelDialog);

    var figure = document.createElement("figure");
    figure.className = "lightbox__figure";
    var image = document.createElement("img");
    image.className = "lightbox__image";
    var caption = document.createElement("figcaption");
    caption.className = "lightbox__caption";
    var title = document.createElement("span");
    title.className = "lightbox__title";
    var position = document.createElement("span");
    position.className = "lightbox__position";
    position.setAttribute("aria-live", "polite");
    caption.append(title, " ", position);
    figure.append(image, caption);

    var controls = document.createElement("div");
    controls.className = "lightbox__controls";
    var prev = button("← " + labels.labelPrev, "prev");
    var next = button(labels.labelNext + " →", "next");
    var open = document.createElement("a");
    open.className = "lightbox__open";
    open.textContent = labels.labelOpen;
    var close = button(labels.labelClose, "close");
    if (links.length > 1) controls.append(prev, next);
    controls.append(open, close);
    dialog.append(figure, controls);
    document.body.appendChild(dialog);

    var current = 0;
    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumb = link.querySelector("img");
      image.src = link.href;
      image.alt = thumb ? thumb.alt : "";
      title.textContent = thumb ? thumb.alt : "";
      position.textContent = labels.labelPosition
        .replace("{n}", String(current + 1))
        .replace("{total}", String(links.length));
      open.href = link.href;
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        if (typeof dialog.showModal !== "function") return; // an old browser: follow the link
        event.preventDefault();
        show(index);
        dialog.showModal();
        close.focus();
      });
    });
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: links.length - 1 };
      if (!(event.key in moves) || links.length < 2) return;
      event.preventDefault();
      show(moves[event.key]);
    });
    // A click on the shaded backdrop (the dialog itself, outside its content) closes it.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      image.removeAttribute("src");
      links[current].focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-gallery]").forEach(attach);
  });
})();
