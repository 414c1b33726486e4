/* nianbao: the header search box (overrides/partials/pagefind.html) on Pagefind's JS API.
 *
 * The index (site/pagefind/, written by generator/search.py) gives every page its words:
 * each character and each pair of adjacent characters of its text, marked. searchWords cuts
 * the query the same way (the Python twin is generator/search_words.py: query_words), and the
 * index parts are merged with language "und" so that Pagefind looks these words up as they
 * are instead of segmenting them again: a page is found by every string its text contains.
 * Results are drawn in Material's search-result markup, with an excerpt cut around the query
 * from the page's text, fetched when the result is shown: the index holds no page text, so
 * the site does not publish every page's text twice. Every result is reachable (显示更多结果).
 * No external requests. */
(function () {
  "use strict";
  var root = document.querySelector("[data-nb-search]");
  if (!root) return;
  // Material's zh strings for its search box (lang.t in Material 9.8.1), and the search
  // filter's page types in their order (page_type in overrides/main.html).
  var strings = {
    label: "搜索",
    none: "没有找到符合条件的结果",
    one: "找到 1 个符合条件的结果",
    other: "# 个符合条件的结果",
    placeholder: "键入以开始搜索",
    more: "显示更多结果（已显示 {shown} 条，共 {total} 条）",
    types: ["年度报告", "机关", "地区", "年度", "检查规则", "其他页面"]
  };
  // The site root: base_url is relative ("../..") on most pages and a path ("/", "/repo/")
  // on the 404 page; either way with exactly one trailing slash.
  var base = new URL(root.getAttribute("data-nb-base").replace(/\/*$/, "/"), location.href);
  // A theme icon from the site's one copy (overrides/assets/images/icons.svg), as the pages'
  // own icons (overrides/partials/icon.html).
  function icon(name) {
    return '<svg viewBox="0 0 24 24"><use href="' + escape(
      new URL("assets/images/icons.svg#" + name, base).href
    ) + '"/></svg>';
  }
  // The box, the same on every page (overrides/partials/pagefind.html leaves it to this
  // script): Material's search markup, with the line breaks the pages' markup had between
  // its tags (overrides/hooks/compact.py).
  root.innerHTML =
    '<label class="md-search__overlay" for="__search"></label>\n' +
    '<div class="md-search__inner" role="search">\n' +
    '<form class="md-search__form" name="search">\n' +
    '<input type="text" class="md-search__input" name="query" aria-label="' + strings.label +
    '" placeholder="' + strings.label + '" autocapitalize="off" autocorrect="off"' +
    ' autocomplete="off" spellcheck="false" data-nb-search-query>\n' +
    '<label class="md-search__icon md-icon" for="__search">\n' + icon("search") + "\n" +
    icon("previous") + "\n</label>\n</form>\n" +
    '<div class="md-search__output">\n<div class="md-search__scrollwrap" tabindex="0">\n' +
    '<div class="md-search-result">' +
    '<div class="nb-search-filters" data-nb-search-filters hidden>\n' +
    '<label>类型 <select data-nb-filter="type"><option value="">全部</option></select></label>\n' +
    '<label>年度 <select data-nb-filter="year"><option value="">全部</option></select></label>\n' +
    '<label>地区 <select data-nb-filter="province"><option value="">全部</option></select></label>\n' +
    "</div>" +
    '<div class="md-search-result__meta" data-nb-search-meta aria-live="polite"></div>' +
    '<ol class="md-search-result__list" data-nb-search-results></ol>' +
    '<button type="button" class="md-button nb-search-more" data-nb-search-more hidden></button>' +
    "</div>\n</div>\n</div>\n</div>";
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
  });
  var input = root.querySelector("[data-nb-search-query]");
  var meta = root.querySelector("[data-nb-search-meta]");
  var list = root.querySelector("[data-nb-search-results]");
  var more = root.querySelector("[data-nb-search-more]");
  var filterBox = root.querySelector("[data-nb-search-filters]");
  var selects = Array.prototype.slice.call(root.querySelectorAll("[data-nb-filter]"));
  var toggle = document.getElementById("__search");
  meta.textContent = strings.placeholder;
  var PAGE_SIZE = 10;
  var EXCERPT_BEFORE = 30;
  var EXCERPT_LENGTH = 120;
  // Metadata fields of generator/search.py: the page title's words first, then the agency
  // and region a report or agency page names, then any word of the page.
  var WEIGHTS = { t: 10, k: 10, w: 1 };
  var UNIT_MARK = "\u01c0";
  var PAIR_MARK = "\u01c1";
  var END_MARK = "\u01c2";
  var HAN = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var RUN = /[\p{L}\p{N}]+/gu;
  var UNIT = new RegExp("[" + HAN + "]|(?:(?![" + HAN + "])[\\p{L}\\p{N}])+", "gu");
  var HAN_CHAR = new RegExp("^[" + HAN + "]$", "u");
  var pagefind = null;
  var current = null;

  // A run of one unit is that unit, a longer run its pairs; a run of letters or digits ends
  // with END_MARK. As query_words in generator/search_words.py.
  function searchWords(query) {
    var seen = {};
    var words = [];
    function add(word) {
      if (!seen[word]) {
        seen[word] = true;
        words.push(word);
      }
    }
    (query.normalize("NFKC").toLowerCase().match(RUN) || []).forEach(function (run) {
      var units = run.match(UNIT).map(function (unit) {
        return HAN_CHAR.test(unit) ? unit : unit + END_MARK;
      });
      if (units.length === 1) add(UNIT_MARK + units[0]);
      for (var i = 0; i + 1 < units.length; i++) add(PAIR_MARK + units[i] + units[i + 1]);
    });
    return words;
  }

  function load() {
    if (!pagefind) {
      var bundle = new URL("pagefind/", base);
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () {
          return module.init();
        }).then(function () {
          return fetch(new URL("parts.json", bundle).href);
        }).then(function (response) {
          return response.ok ? response.json() : [];
        }).then(function (parts) {
          return Promise.all(parts.map(function (part) {
            return module.mergeIndex(new URL(part, bundle).pathname, {
              baseUrl: base.pathname,
              language: "und",
              ranking: { metaWeights: WEIGHTS }
            });
          }));
        }).then(function () {
          // The filter values, written by generator/search.py: module.filters() would load
          // every filter chunk of every part.
          return fetch(new URL("filters.json", bundle).href);
        }).then(function (response) {
          return response.ok ? response.json() : {};
        }).then(function (filters) {
          fillFilters(filters);
          return module;
        });
      });
    }
    return pagefind;
  }

  function fillFilters(filters) {
    var order = {
      type: function (values) {
        return strings.types.filter(function (value) { return values.indexOf(value) >= 0; });
      },
      year: function (values) { return values.slice().sort().reverse(); },
      province: function (values) {
        return values.slice().sort(function (a, b) { return a.localeCompare(b, "zh"); });
      }
    };
    selects.forEach(function (select) {
      var name = select.getAttribute("data-nb-filter");
      order[name](filters[name] || []).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
    });
    filterBox.hidden = false;
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function escape(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  // What a reader sees of a page's body, as one line: its text without NOT_TEXT (as
  // generator/search.py leaves out of the page's title: permalinks, the statistical tables,
  // charts, version diffs, scripts); inline tags join, the others separate (search.py's
  // body_text). "" when the page cannot be fetched: the result shows its title only.
  var NOT_TEXT = "svg, script, style, .headerlink, .nb-table-wrap, .nb-diff";
  var INLINE = /^(A|ABBR|B|BDI|BDO|CITE|CODE|DATA|DEL|DFN|EM|I|INS|KBD|MARK|Q|S|SAMP|SMALL|SPAN|STRONG|SUB|SUP|TIME|U|VAR|WBR)$/;
  function pageText(url) {
    return fetch(url).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var body = page.querySelector("[data-pagefind-body]");
      if (!body) return "";
      Array.prototype.forEach.call(body.querySelectorAll(NOT_TEXT), function (node) {
        node.remove();
      });
      var parts = [];
      (function walk(node) {
        Array.prototype.forEach.call(node.childNodes, function (child) {
          if (child.nodeType === Node.TEXT_NODE) {
            parts.push(child.data);
          } else if (child.nodeType === Node.ELEMENT_NODE) {
            var block = !INLINE.test(child.tagName);
            if (block) parts.push(" ");
            walk(child);
            if (block) parts.push(" ");
          }
        });
      })(body);
      return parts.join("").split(/\s+/).filter(Boolean).join(" ");
    }).catch(function () { return ""; });
  }

  // The page text around the first place it holds what was typed, the query's runs marked;
  // the beginning of the text when the query matched words the excerpt text does not hold
  // (the statistical tables are in the page's words, not in its excerpt text).
  function excerpt(text, query) {
    var runs = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean).sort(function (a, b) {
      return b.length - a.length;
    });
    var pattern = runs.length ? new RegExp(runs.map(function (run) {
      return run.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "giu") : null;
    var found = pattern ? pattern.exec(text) : null;
    var start = found ? Math.max(0, found.index - EXCERPT_BEFORE) : 0;
    var end = Math.min(text.length, start + EXCERPT_LENGTH);
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start -= 1; // whole characters only
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end += 1;
    var snippet = text.slice(start, end);
    var html = "";
    var last = 0;
    if (pattern) {
      snippet.replace(pattern, function (match, offset) {
        html += escape(snippet.slice(last, offset)) + "<mark>" + escape(match) + "</mark>";
        last = offset + match.length;
        return match;
      });
    }
    html += escape(snippet.slice(last));
    return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
  }

  // A result's markup; its excerpt is filled in when its page has come (showMore).
  function item(data) {
    var title = (data.meta && data.meta.title) || data.url;
    return '<li class="md-search-result__item"><a href="' + escape(data.url) +
      '" class="md-search-result__link"><article class="md-search-result__article' +
      ' md-typeset"><div class="md-search-result__icon md-icon"></div><h1>' + escape(title) +
      "</h1><p></p></article></a></li>";
  }

  // The next results, titles at once (as fast as before the excerpts came from the pages),
  // each excerpt as soon as its page is fetched.
  function showMore(state) {
    var batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (items) {
      if (state !== current) return;
      var first = list.children.length;
      list.insertAdjacentHTML("beforeend", items.map(item).join(""));
      items.forEach(function (data, i) {
        var paragraph = list.children[first + i].querySelector("p");
        pageText(data.url).then(function (text) {
          if (state === current) paragraph.innerHTML = excerpt(text, state.query);
        });
      });
      state.shown += items.length;
      more.hidden = state.shown >= state.results.length;
      more.textContent = strings.more.replace("{shown}", state.shown)
        .replace("{total}", state.results.length);
    });
  }

  function clear(text) {
    current = null;
    meta.textContent = text;
    list.innerHTML = "";
    more.hidden = true;
  }

  function search() {
    var query = input.value.trim();
    var words = searchWords(query);
    if (!words.length) {
      clear(query ? strings.none : strings.placeholder);
      return;
    }
    var filters = { portal: "nianbao" };
    selects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-nb-filter")] = select.value;
    });
    load().then(function (module) {
      return module.debouncedSearch(words.join(" "), { filters: filters }, 150);
    }).then(function (result) {
      if (!result || input.value.trim() !== query) return null; // superseded by a newer query
      var total = result.results.length;
      clear(total === 0 ? strings.none
        : (total === 1 ? strings.one : strings.other.replace("#", total)));
      current = { query: query, results: result.results, shown: 0 };
      return showMore(current);
    }).catch(function (error) {
      clear(strings.none);
      if (window.console) console.error("nianbao search:", error);
    });
  }

  // For the tests (tests/test_search_recall.py): the words of a query, and the URLs of every
  // page the search box finds for it, in its order.
  window.nianbaoSearch = {
    words: searchWords,
    urls: function (query, filters) {
      return load().then(function (module) {
        return module.search(searchWords(query).join(" "), {
          filters: Object.assign({ portal: "nianbao" }, filters || {})
        });
      }).then(function (result) {
        return Promise.all(result.results.map(function (r) { return r.data(); }));
      }).then(function (items) {
        return items.map(function (data) { return data.url; });
      });
    }
  };

  input.addEventListener("focus", open);
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle) {
      toggle.checked = false;
      input.blur();
    }
  });
  selects.forEach(function (select) { select.addEventListener("change", search); });
  more.addEventListener("click", function () {
    if (current) showMore(current);
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
