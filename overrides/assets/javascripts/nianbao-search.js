/* nianbao: the header search box (overrides/partials/pagefind.html) on Pagefind's JS API.
 * Pagefind (site/pagefind/, written after the MkDocs build by generator/site.py) loads only the
 * index chunks a query needs, instead of Material's whole-site index. Results are rendered in
 * Material's search-result markup so they look like the theme's own. No external requests. */
(function () {
  "use strict";
  var root = document.querySelector("[data-nb-search]");
  if (!root) return;
  var input = root.querySelector("[data-nb-search-query]");
  var meta = root.querySelector("[data-nb-search-meta]");
  var list = root.querySelector("[data-nb-search-results]");
  var toggle = document.getElementById("__search");
  var strings = JSON.parse(document.getElementById("nb-search-strings").textContent);
  var base = new URL(root.getAttribute("data-nb-base"), location.href);
  var pagefind = null;
  var MAX_RESULTS = 10;
  // Real pages only: a batched index also holds a vocabulary page without this filter.
  var FILTER = { portal: "nianbao" };

  // A large site's index is written in several bundles (generator/site.py): the first in
  // pagefind/, the others listed in pagefind/parts.json and merged into it.
  function merge(module) {
    var bundle = new URL("pagefind/", base);
    return fetch(new URL("parts.json", bundle).href).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (parts) {
      return Promise.all(parts.map(function (part) {
        return module.mergeIndex(new URL(part, bundle).pathname, { baseUrl: base.pathname });
      }));
    });
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () {
          module.init();
          return merge(module);
        }).then(function () {
          return module;
        });
      });
    }
    return pagefind;
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function render(query, total, items) {
    if (input.value.trim() !== query) return;
    meta.textContent = total === 0 ? strings.none
      : (total === 1 ? strings.one : strings.other.replace("#", total));
    list.innerHTML = items.map(function (item) {
      var title = (item.meta && item.meta.title) || item.url;
      return '<li class="md-search-result__item"><a href="' + text(item.url) +
        '" class="md-search-result__link" tabindex="-1"><article class="md-search-result__article' +
        ' md-typeset"><div class="md-search-result__icon md-icon"></div><h1>' + text(title) +
        "</h1><p>" + item.excerpt + "</p></article></a></li>";
    }).join("");
  }

  function search() {
    var query = input.value.trim();
    if (!query) {
      meta.textContent = strings.placeholder;
      list.innerHTML = "";
      return;
    }
    load().then(function (module) {
      return module.debouncedSearch(query, { filters: FILTER }, 150);
    }).then(function (result) {
      if (!result) return null;  // superseded by a newer query
      return Promise.all(result.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
        .then(function (items) { render(query, result.results.length, items); });
    }).catch(function (error) {
      meta.textContent = strings.none;
      if (window.console) console.error("nianbao search:", error);
    });
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle) {
      toggle.checked = false;
      input.blur();
    }
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        load();
        setTimeout(function () { input.focus(); }, 100);
      }
    });
  }
})();
