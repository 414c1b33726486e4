/* nianbao: the navigation lists that the pages leave to this script, drawn in Material's
 * markup with the line breaks between the tags that the other pages have
 * (overrides/hooks/compact.py). It runs before Material's script mounts its components (on
 * DOMContentLoaded).
 * - The drawer on a page that is not in the navigation (overrides/partials/nav.html leaves
 *   its title out and its list empty): the title from the header's logo link and the site
 *   name, the tabs' links as Material draws a list with no active item; a section (its place
 *   in data-nb-drawer) with Material's arrow.
 * - Each table of contents (overrides/partials/toc.html): the headings whose ids
 *   data-nb-toc lists, each titled with its heading's text. */
(function () {
  "use strict";

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function attribute(value) {
    return text(value).replace(/"/g, "&quot;");
  }

  function link(href, title, extra) {
    return '<a href="' + attribute(href) + '" class="md-nav__link">\n' +
      '<span class="md-ellipsis">\n' + text(title) + "\n</span>\n" + (extra || "") + "</a>\n";
  }

  var drawer = document.querySelector("[data-nb-drawer]");
  if (drawer) {
    var sections = drawer.getAttribute("data-nb-drawer").split(" ");
    var items = "\n";
    Array.prototype.forEach.call(document.querySelectorAll(".md-tabs__link"), function (tab, i) {
      var section = sections.indexOf(String(i + 1)) >= 0;
      items += '<li class="md-nav__item' +
        (section ? " md-nav__item--pruned md-nav__item--nested" : "") + '">\n' +
        link(tab.getAttribute("href"), tab.textContent.trim(),
          section ? '<span class="md-nav__icon md-icon"></span>\n' : "") + "</li>\n";
    });
    drawer.innerHTML = items;
    var logo = document.querySelector(".md-header__button.md-logo");
    if (logo) {
      var home = logo.cloneNode(true);
      home.className = "md-nav__button md-logo";
      var label = document.createElement("label");
      label.className = "md-nav__title";
      label.htmlFor = "__drawer";
      label.appendChild(document.createTextNode("\n"));
      label.appendChild(home);
      label.appendChild(document.createTextNode("\n" + logo.getAttribute("title") + "\n"));
      drawer.parentNode.insertBefore(label, drawer);
      drawer.parentNode.insertBefore(document.createTextNode("\n"), drawer);
    }
  }

  // A heading's text without its permalink (¶), as Python-Markdown's toc titles it.
  function title(id) {
    var heading = document.getElementById(id);
    if (!heading) return id;
    var copy = heading.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (permalink) {
      permalink.remove();
    });
    return copy.textContent.trim();
  }

  function tocItems(entries) {
    return entries.map(function (entry) {
      var id = typeof entry === "string" ? entry : entry[0];
      var name = title(id);
      var children = typeof entry === "string" ? "" :
        '<nav class="md-nav" aria-label="' + attribute(name) + '">\n' +
        '<ul class="md-nav__list">\n' + tocItems(entry[1]) + "</ul>\n</nav>\n";
      return '<li class="md-nav__item">\n' + link("#" + id, name) + children + "</li>\n";
    }).join("");
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-nb-toc]"), function (list) {
    list.innerHTML = "\n" + tocItems(JSON.parse(list.getAttribute("data-nb-toc")));
  });
})();
