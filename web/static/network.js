/* The link chart an analyst builds (page web/templates/analysis/network.html).
 *
 * Cytoscape.js draws the chart and fCoSE lays it out; both are served from /vendor. Every
 * record comes from the JSON API under /analysis/api (reads are GETs; saves are POSTs with
 * the CSRF token in X-CSRFToken). Labels are set with textContent, never as HTML. Nodes are
 * styled by kind; records received from another node are dashed and name their origin.
 * An expansion capped by the server adds one "and N more" node per edge kind (Aleph style):
 * clicking it asks for more of that kind.
 */
(function () {
  "use strict";
  var page = document.getElementById("network-page");
  if (!page || typeof window.cytoscape === "undefined") { return; }
  var API = page.dataset.api;
  var CSRF = page.dataset.csrf;
  var S = JSON.parse(page.dataset.strings || "{}");
  var LOCALE = page.dataset.locale || "en";
  var KINDS = S.kinds || {};
  var EDGE_KINDS = S.edgeKinds || {};
  // Dates of seizures ("2026-03-01") in the reader's locale; a calendar date, so read as UTC.
  var DATES = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" });
  var INTEGER = new Intl.NumberFormat(LOCALE);
  var SCORE = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  function kindLabel(kind) { return KINDS[kind] || kind; }
  function dateLabel(iso) {
    var when = new Date(String(iso).length === 10 ? iso + "T00:00:00Z" : iso);
    return isNaN(when.getTime()) ? iso : DATES.format(when);
  }
  var MAX_NODES = 200;
  var COLOURS = { person: "#2b6cb0", company: "#2f855a", conveyance: "#b7791f", seizure: "#c53030" };
  var SHAPES = { person: "ellipse", company: "round-rectangle", conveyance: "diamond", seizure: "rectangle" };
  var chart = { id: page.dataset.chart || null, version: null, name: "" };
  var lastMeasures = [];
  var sortKey = "degree";
  var sortDown = true;

  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function say(text, kind) {
    var box = document.getElementById("chart-message");
    box.textContent = text;
    box.className = "alert alert-" + (kind || "info");
  }
  function failure(error) {
    var detail = error && error.body ? error.body.error : String(error);
    var fields = error && error.body && error.body.fields ? Object.values(error.body.fields) : [];
    say(S.error + " " + detail + (fields.length ? " (" + fields.join("; ") + ")" : ""), "danger");
  }
  function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = CSRF;
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      return response.json().catch(function () { return { error: response.statusText }; })
        .then(function (data) {
          if (!response.ok) { throw { status: response.status, body: data }; }
          return data;
        });
    });
  }
  function q(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      if (params[key] !== null && params[key] !== undefined && params[key] !== "") {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(params[key]));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  if (window.cytoscapeFcose) {
    // The fCoSE bundle may have registered itself already; registering twice only warns.
    try { cytoscape.use(window.cytoscapeFcose); } catch (_e) { /* already registered */ }
  }
  var cy = cytoscape({
    container: document.getElementById("cy"),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "label": "data(display)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
        "text-valign": "bottom", "text-margin-y": 3, "width": "data(size)", "height": "data(size)",
        "background-color": "data(colour)", "shape": "data(shape)", "border-width": 1, "border-color": "#333" } },
      { selector: "node.foreign", style: { "border-width": 4, "border-style": "dashed", "border-color": "#6b46c1" } },
      { selector: "node.more", style: { "background-color": "#e2e8f0", "shape": "round-rectangle",
        "border-style": "dotted", "color": "#4a5568", "font-style": "italic", "text-valign": "center", "text-margin-y": 0 } },
      { selector: "node.pinned", style: { "border-width": 4, "border-color": "#000" } },
      { selector: "node:selected", style: { "overlay-color": "#f6ad55", "overlay-opacity": 0.35, "overlay-padding": 6 } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#a0aec0", "curve-style": "bezier",
        "label": "data(label)", "font-size": 8, "color": "#4a5568", "text-rotation": "autorotate" } },
      { selector: "edge.more-edge", style: { "line-style": "dotted", "label": "" } },
      { selector: "node.changed", style: { "border-width": 4, "border-color": "#d69e2e" } },
      { selector: "edge.new-edge", style: { "line-color": "#38a169", "width": 3, "line-style": "dashed" } },
      { selector: "edge.path", style: { "line-color": "#dd6b20", "width": 4 } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#dd6b20" } }
    ]
  });

  function display(node) {
    var text = node.label;
    if (node.reference && node.reference !== node.label) { text += "\n" + node.reference; }
    if (node.origin) { text += "\n⇄ " + node.origin; }
    return text;
  }
  function realNodes() { return cy.nodes().not(".more"); }
  function addNode(node, position) {
    var existing = cy.getElementById(node.id);
    if (existing.length) { return existing; }
    if (realNodes().length >= MAX_NODES) { say(fmt(S.tooMany, { max: MAX_NODES }), "warning"); return null; }
    var data = Object.assign({}, node, {
      display: display(node), colour: COLOURS[node.kind] || "#718096",
      shape: SHAPES[node.kind] || "ellipse", size: 30
    });
    var added = cy.add({ group: "nodes", data: data, position: position || { x: 0, y: 0 } });
    if (node.origin) { added.addClass("foreign"); }
    return added;
  }
  function addEdge(edge) {
    if (cy.getElementById(edge.id).length) { return; }
    if (!cy.getElementById(edge.source).length || !cy.getElementById(edge.target).length) { return; }
    cy.add({ group: "edges", data: edge });
  }
  function addMore(key, kind, count, atLeast) {
    var id = "more|" + key + "|" + kind;
    cy.remove(cy.getElementById(id));
    if (!count) { return; }
    var label = fmt(atLeast ? S.moreAtLeast : S.more, { count: new Intl.NumberFormat(LOCALE).format(count) }) + " (" + (EDGE_KINDS[kind] || kind) + ")";
    var source = cy.getElementById(key);
    cy.add({ group: "nodes", classes: "more",
      data: { id: id, display: label, label: label, kind: "more", of: key, edgeKind: kind, count: count, size: 22, colour: "#e2e8f0", shape: "round-rectangle" },
      position: { x: source.position("x") + 40, y: source.position("y") + 40 } });
    cy.add({ group: "edges", classes: "more-edge", data: { id: id + "|edge", source: key, target: id, label: "" } });
  }
  function layout(fit) {
    var options = { name: cy.nodes().length > 1 && window.cytoscapeFcose ? "fcose" : "grid",
      animate: false, randomize: false, fit: fit !== false, padding: 30, nodeRepulsion: 6000,
      idealEdgeLength: 90 };
    if (options.name === "fcose") {
      var fixed = cy.nodes(".pinned").map(function (n) { return { nodeId: n.id(), position: n.position() }; });
      if (fixed.length) { options.fixedNodeConstraint = fixed; }
      if (cy.nodes().length < 3) { options.randomize = true; }
    }
    cy.layout(options).run();
  }

  function expandNode(key, kind, limit) {
    return call("GET", "/expand" + q({ node: key, kinds: kind, limit: limit })).then(function (data) {
      var centre = cy.getElementById(key).position();
      data.nodes.forEach(function (node) {
        addNode(node, { x: centre.x + (Math.random() - 0.5) * 120, y: centre.y + (Math.random() - 0.5) * 120 });
      });
      data.edges.forEach(addEdge);
      var kinds = kind ? [kind] : Object.keys(data.more);
      kinds.forEach(function (k) {
        addMore(key, k, data.more[k] || 0, (data.more_at_least || []).indexOf(k) >= 0);
      });
    });
  }
  function expandSelected() {
    var chosen = cy.nodes(":selected").not(".more");
    if (!chosen.length) { say(S.pickOne, "warning"); return; }
    var kind = document.getElementById("expand-kind").value;
    var limit = parseInt(document.getElementById("expand-limit").value, 10) || 25;
    Promise.all(chosen.map(function (n) { return expandNode(n.id(), kind, limit); }))
      .then(function () { layout(); }).catch(failure);
  }
  function expandMore(more) {
    var limit = Math.min(100, (parseInt(document.getElementById("expand-limit").value, 10) || 25) + more.data("count"));
    expandNode(more.data("of"), more.data("edgeKind"), limit).then(function () { layout(false); }).catch(failure);
  }

  function showSelection() {
    var box = document.getElementById("selection");
    box.replaceChildren();
    var chosen = cy.$(":selected");
    if (chosen.length !== 1) { return; }
    var item = chosen[0];
    if (item.isEdge()) {
      box.appendChild(el("h2", item.data("label") || EDGE_KINDS[item.data("kind")] || item.data("kind"), "h6"));
      box.appendChild(el("p", item.data("evidence"), "small mb-0 evidence"));
      return;
    }
    if (item.hasClass("more")) { box.appendChild(el("p", item.data("label"), "small mb-0")); return; }
    var title = el("h2", "", "h6");
    var link = el("a", item.data("label"));
    link.href = item.data("url");
    title.appendChild(link);
    box.appendChild(title);
    var meta = el("p", kindLabel(item.data("kind")) + (item.data("reference") ? " · " + item.data("reference") : "") +
      (item.data("when") ? " · " + dateLabel(item.data("when")) : ""), "small mb-1");
    box.appendChild(meta);
    box.appendChild(el("span", item.data("origin") ? fmt(S.foreign, { node: item.data("origin") }) : S.national,
      "badge " + (item.data("origin") ? "text-bg-warning origin-badge" : "text-bg-light")));
  }

  function findPaths() {
    var chosen = cy.nodes(":selected").not(".more");
    if (chosen.length !== 2) { say(S.pickTwo, "warning"); return; }
    var box = document.getElementById("paths");
    cy.elements().removeClass("path");
    call("GET", "/paths" + q({ a: chosen[0].id(), b: chosen[1].id(), max_hops: 6 })).then(function (data) {
      box.replaceChildren();
      if (!data.paths.length) {
        // A search cut short by its bounds found none, which does not mean there is none.
        var said = data.complete === false ? S.noPathBounded : S.noPath;
        box.appendChild(el("p", fmt(said, { hops: 6 }), "mb-0 text-muted"));
        return;
      }
      data.paths.forEach(function (path, index) {
        path.nodes.forEach(function (node) { addNode(node, chosen[0].position()); });
        path.edges.forEach(addEdge);
        var block = el("div", null, "mb-2 path-result");
        var head = el("button", fmt(S.path, { number: index + 1, hops: path.edges.length }), "btn btn-link btn-sm p-0");
        head.type = "button";
        head.addEventListener("click", function () { highlight(path); });
        block.appendChild(head);
        var list = el("ol", null, "mb-0 ps-3");
        path.edges.forEach(function (edge) { list.appendChild(el("li", edge.evidence, "evidence")); });
        block.appendChild(list);
        box.appendChild(block);
      });
      layout();
      highlight(data.paths[0]);
    }).catch(failure);
  }
  function highlight(path) {
    cy.elements().removeClass("path");
    path.nodes.forEach(function (n) { cy.getElementById(n.id).addClass("path"); });
    path.edges.forEach(function (e) { cy.getElementById(e.id).addClass("path"); });
  }

  function measure() {
    var keys = realNodes().map(function (n) { return n.id(); });
    if (!keys.length) { say(S.empty, "warning"); return; }
    call("POST", "/measures", { nodes: keys }).then(function (data) {
      data.edges.forEach(addEdge);
      lastMeasures = data.measures.map(function (row) {
        return Object.assign({ label: cy.getElementById(row.id).data("label") || row.id }, row);
      });
      renderMeasures();
      sizeNodes();
    }).catch(failure);
  }
  function renderMeasures() {
    var body = document.querySelector("#measures tbody");
    body.replaceChildren();
    var rows = lastMeasures.slice().sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      var order = typeof x === "string" ? String(x).localeCompare(String(y)) : (x - y);
      return sortDown ? -order : order;
    });
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.dataset.node = row.id;
      tr.appendChild(el("td", row.label));
      ["degree", "betweenness", "closeness", "eigenvector"].forEach(function (key) {
        var value = row[key];
        tr.appendChild(el("td", (key === "degree" ? INTEGER : SCORE).format(Number(value))));
      });
      tr.appendChild(el("td", row.component));
      tr.appendChild(el("td", row.community));
      tr.addEventListener("click", function () { cy.$(":selected").unselect(); cy.getElementById(row.id).select(); });
      body.appendChild(tr);
    });
  }
  function sizeNodes() {
    var key = document.getElementById("size-by").value;
    var values = {};
    var top = 0;
    lastMeasures.forEach(function (row) { values[row.id] = Number(row[key] || 0); top = Math.max(top, values[row.id]); });
    realNodes().forEach(function (node) {
      var v = key && top > 0 ? (values[node.id()] || 0) / top : 0;
      node.data("size", key ? 20 + Math.round(50 * v) : 30);
    });
  }

  function mostConnected() {
    call("GET", "/central" + q({ top: 20 })).then(function (data) {
      var list = document.getElementById("central-list");
      list.replaceChildren();
      // The server never computes the whole graph in a request: it shows the latest stored run.
      document.getElementById("central-run").textContent = data.run ? data.run.summary : data.message;
      data.ranked.forEach(function (row) {
        var li = el("li");
        var add = el("button", row.node.label, "btn btn-link btn-sm p-0");
        add.type = "button";
        add.addEventListener("click", function () { addNode(row.node); layout(); });
        li.appendChild(add);
        li.appendChild(el("span", " · " + row.degree + (row.node.origin ? " · ⇄ " + row.node.origin : ""), "text-muted"));
        list.appendChild(li);
      });
    }).catch(failure);
  }

  function layoutJson() {
    var result = {};
    realNodes().forEach(function (n) {
      var p = n.position();
      result[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10, pinned: n.hasClass("pinned") };
    });
    return result;
  }
  function save(asNew) {
    var name = document.getElementById("chart-name").value.trim();
    var body = { name: name, nodes: realNodes().map(function (n) { return n.id(); }), layout: layoutJson() };
    var request;
    if (chart.id && !asNew) {
      body.version = chart.version;
      request = call("POST", "/charts/" + chart.id, body);
    } else {
      request = call("POST", "/charts", body);
    }
    request.then(function (data) {
      chart = { id: data.chart.id, version: data.chart.version, name: data.chart.name };
      document.getElementById("chart-title").textContent = chart.name;
      history.replaceState(null, "", "?chart=" + chart.id);
      showRecordExports();
      say(fmt(S.saved, { version: chart.version }), "success");
    }).catch(failure);
  }
  // The records export (CSV, XLSX) is of a saved chart: its links appear once it has an id.
  function showRecordExports() {
    document.querySelectorAll(".chart-records-export").forEach(function (link) {
      link.href = link.dataset.base.replace("00000000-0000-0000-0000-000000000000", chart.id);
      link.classList.remove("d-none");
    });
  }
  function openChart(id) {
    return call("GET", "/charts/" + id).then(function (data) {
      chart = { id: data.chart.id, version: data.chart.version, name: data.chart.name };
      document.getElementById("chart-name").value = chart.name;
      document.getElementById("chart-title").textContent = chart.name;
      data.nodes.forEach(function (node) {
        var place = data.layout[node.id];
        var added = addNode(node, place ? { x: place.x, y: place.y } : undefined);
        if (added && place && place.pinned) { added.addClass("pinned").lock(); }
      });
      data.edges.forEach(addEdge);
      showChanges(data.changes);
      var placed = data.nodes.every(function (n) { return data.layout[n.id]; });
      if (placed) { cy.fit(undefined, 30); } else { layout(); }
    });
  }
  function showChanges(changes) {
    var box = document.getElementById("chart-changes");
    box.replaceChildren();
    box.classList.remove("d-none");
    if (!changes.any) { box.appendChild(el("span", S.unchanged)); return; }
    // Mark on the chart what the banner lists: changed records, and links new since the save.
    changes.changed.forEach(function (key) { cy.getElementById(key).addClass("changed"); });
    changes.new_edges.forEach(function (e) { cy.getElementById(e[0] + "|" + e[1] + "|" + e[2]).addClass("new-edge"); });
    function label(key) { var n = cy.getElementById(key); return n.length ? n.data("label") : key; }
    function section(title, items) {
      if (!items.length) { return; }
      box.appendChild(el("strong", title));
      var list = el("ul", null, "mb-1");
      items.forEach(function (text) { list.appendChild(el("li", text)); });
      box.appendChild(list);
    }
    section(S.gone, changes.gone);
    section(S.changed, changes.changed.map(label));
    section(S.newEdges, changes.new_edges.map(function (e) { return label(e[0]) + " — " + label(e[1]) + " (" + e[2] + ")"; }));
    section(S.lostEdges, changes.lost_edges.map(function (e) { return label(e[0]) + " — " + label(e[1]) + " (" + e[2] + ")"; }));
    section(S.newNeighbours, Object.keys(changes.new_neighbours).map(function (k) { return label(k) + ": +" + changes.new_neighbours[k]; }));
  }

  function download(name, blob) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }
  function fileName(ext) { return (chart.name || "link-chart").replace(/[^\w.-]+/g, "_") + "." + ext; }
  function exportJson() {
    var data = {
      name: chart.name || null,
      nodes: realNodes().map(function (n) {
        var d = n.data();
        return { id: d.id, kind: d.kind, label: d.label, reference: d.reference, origin: d.origin, position: n.position(), pinned: n.hasClass("pinned") };
      }),
      edges: cy.edges().not(".more-edge").map(function (e) {
        var d = e.data();
        return { source: d.source, target: d.target, kind: d.kind, label: d.label, evidence: d.evidence };
      })
    };
    download(fileName("json"), new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  }
  function exportPng() {
    download(fileName("png"), cy.png({ full: true, bg: "#ffffff", scale: 2, output: "blob" }));
  }
  function xml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" }[c];
    });
  }
  /* An SVG written from the node positions (no third-party exporter): edges as lines,
   * nodes as shapes of their kind, labels as text lines. */
  function exportSvg() {
    var box = cy.elements().boundingBox();
    var pad = 40;
    var parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [box.x1 - pad, box.y1 - pad, box.w + 2 * pad, box.h + 2 * pad].join(" ") +
      '" width="' + Math.round(box.w + 2 * pad) + '" height="' + Math.round(box.h + 2 * pad) + '" font-family="sans-serif">'];
    parts.push('<rect x="' + (box.x1 - pad) + '" y="' + (box.y1 - pad) + '" width="' + (box.w + 2 * pad) + '" height="' + (box.h + 2 * pad) + '" fill="#fff"/>');
    cy.edges().forEach(function (e) {
      var a = e.source().position(), b = e.target().position();
      parts.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="#a0aec0" stroke-width="1.5"' +
        (e.hasClass("more-edge") ? ' stroke-dasharray="2,3"' : "") + '><title>' + xml(e.data("evidence") || "") + "</title></line>");
      if (e.data("label")) {
        parts.push('<text x="' + (a.x + b.x) / 2 + '" y="' + (a.y + b.y) / 2 + '" font-size="8" fill="#4a5568" text-anchor="middle">' + xml(e.data("label")) + "</text>");
      }
    });
    cy.nodes().forEach(function (n) {
      var p = n.position(), r = (n.data("size") || 30) / 2;
      var fill = n.data("colour") || "#718096";
      var stroke = n.hasClass("foreign") ? ' stroke="#6b46c1" stroke-width="4" stroke-dasharray="4,3"' : ' stroke="#333" stroke-width="1"';
      if (n.data("shape") === "ellipse") {
        parts.push('<circle cx="' + p.x + '" cy="' + p.y + '" r="' + r + '" fill="' + fill + '"' + stroke + "/>");
      } else if (n.data("shape") === "diamond") {
        parts.push('<polygon points="' + [p.x, p.y - r, p.x + r, p.y, p.x, p.y + r, p.x - r, p.y].join(" ") + '" fill="' + fill + '"' + stroke + "/>");
      } else {
        parts.push('<rect x="' + (p.x - r) + '" y="' + (p.y - r) + '" width="' + 2 * r + '" height="' + 2 * r + '" rx="4" fill="' + fill + '"' + stroke + "/>");
      }
      String(n.data("display") || "").split("\n").forEach(function (line, i) {
        parts.push('<text x="' + p.x + '" y="' + (p.y + r + 11 + i * 11) + '" font-size="10" text-anchor="middle">' + xml(line) + "</text>");
      });
    });
    parts.push("</svg>");
    download(fileName("svg"), new Blob([parts.join("\n")], { type: "image/svg+xml" }));
  }

  function search() {
    var text = document.getElementById("chart-search").value.trim();
    var list = document.getElementById("chart-results");
    if (!text) { list.classList.add("d-none"); return; }
    call("GET", "/search" + q({ q: text })).then(function (data) {
      list.replaceChildren();
      if (!data.nodes.length) { list.appendChild(el("div", S.noResults, "list-group-item small text-muted")); }
      data.nodes.forEach(function (node) {
        var item = el("button", null, "list-group-item list-group-item-action small search-result");
        item.type = "button";
        item.dataset.node = node.id;
        item.appendChild(el("strong", node.label));
        item.appendChild(el("span", " · " + kindLabel(node.kind) + (node.reference ? " · " + node.reference : "") + (node.origin ? " · ⇄ " + node.origin : ""), "text-muted"));
        item.addEventListener("click", function () {
          list.classList.add("d-none");
          var added = addNode(node);
          layout();
          if (added) { cy.$(":selected").unselect(); added.select(); }
        });
        list.appendChild(item);
      });
      list.classList.remove("d-none");
    }).catch(failure);
  }

  function timelineLink(event) {
    var keys = realNodes().map(function (n) { return n.id(); });
    if (!keys.length) { event.preventDefault(); say(S.empty, "warning"); return; }
    var base = page.dataset.timeline;
    event.currentTarget.href = base + "?" + keys.map(function (k) { return "node=" + encodeURIComponent(k); }).join("&");
  }

  // "Open investigation from this chart": the new-case form with the chart's records.
  function investigationLink(event) {
    var keys = realNodes().map(function (n) { return n.id(); });
    if (!keys.length) { event.preventDefault(); say(S.empty, "warning"); return; }
    var query = keys.map(function (k) { return "item=" + encodeURIComponent(k); });
    query.push("source=chart");
    event.currentTarget.href = event.currentTarget.dataset.base + "?" + query.join("&");
  }
  var investigationButton = document.getElementById("chart-investigation");
  if (investigationButton) { investigationButton.addEventListener("click", investigationLink); }

  document.getElementById("chart-search-go").addEventListener("click", search);
  document.getElementById("chart-search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  document.getElementById("expand").addEventListener("click", expandSelected);
  document.getElementById("remove").addEventListener("click", function () {
    var chosen = cy.$(":selected");
    chosen.nodes().forEach(function (n) { cy.remove(cy.nodes(".more").filter(function (m) { return m.data("of") === n.id(); })); });
    cy.remove(chosen);
  });
  document.getElementById("pin").addEventListener("click", function () {
    cy.nodes(":selected").forEach(function (n) {
      if (n.hasClass("pinned")) { n.removeClass("pinned").unlock(); } else { n.addClass("pinned").lock(); }
    });
  });
  document.getElementById("find-paths").addEventListener("click", findPaths);
  document.getElementById("relayout").addEventListener("click", function () { layout(); });
  document.getElementById("measure").addEventListener("click", measure);
  document.getElementById("size-by").addEventListener("change", sizeNodes);
  document.getElementById("central").addEventListener("click", mostConnected);
  document.getElementById("save").addEventListener("click", function () { save(false); });
  document.getElementById("save-as").addEventListener("click", function () { save(true); });
  document.getElementById("export-png").addEventListener("click", exportPng);
  document.getElementById("export-svg").addEventListener("click", exportSvg);
  document.getElementById("export-json").addEventListener("click", exportJson);
  document.getElementById("chart-timeline").addEventListener("click", timelineLink);
  document.querySelectorAll("#measures [data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.sort;
      sortDown = key === sortKey ? !sortDown : key !== "label";
      sortKey = key;
      renderMeasures();
    });
  });
  cy.on("select unselect", showSelection);
  cy.on("tap", "node.more", function (event) { expandMore(event.target); });
  cy.on("dbltap", "node", function (event) {
    if (!event.target.hasClass("more")) {
      var limit = parseInt(document.getElementById("expand-limit").value, 10) || 25;
      expandNode(event.target.id(), document.getElementById("expand-kind").value, limit).then(function () { layout(false); }).catch(failure);
    }
  });

  var start = JSON.parse(page.dataset.start || "[]");
  if (chart.id) {
    openChart(chart.id).catch(failure);
  } else if (start.length) {
    call("GET", "/nodes" + q({ nodes: start.join(",") })).then(function (data) {
      data.nodes.forEach(function (node) { addNode(node); });
      layout();
      if (data.nodes.length === 1) { cy.getElementById(data.nodes[0].id).select(); }
    }).catch(failure);
  }
  window.ncenChart = cy;  // for the end-to-end tests and the browser console
}());
