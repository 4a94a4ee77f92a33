/* The timeline of records (page web/templates/analysis/timeline.html), drawn by vis-timeline
 * from /vendor: one group per record (its facet), zoomable. A date known only to the year or
 * the month is a range spanning it, labelled "2019" or "2019-03", never a point on 1 January.
 * The same events are listed in a table below, oldest first. Labels are text, never HTML.
 */
(function () {
  "use strict";
  var page = document.getElementById("timeline-page");
  if (!page || typeof window.vis === "undefined") { return; }
  var S = JSON.parse(page.dataset.strings || "{}");
  var LOCALE = page.dataset.locale || "en";
  // A date as precise as it is known, in the reader's locale (UTC: the server's dates are).
  var DATE_FORMATS = {
    year: new Intl.DateTimeFormat(LOCALE, { year: "numeric", timeZone: "UTC" }),
    month: new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "long", timeZone: "UTC" }),
    day: new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" }),
    moment: new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })
  };
  function dateLabel(e) {
    var when = new Date(e.start);
    var format = DATE_FORMATS[e.precision] || DATE_FORMATS.day;
    if (isNaN(when.getTime())) { return e.date; }
    return format.format(when) + (e.precision === "moment" ? " UTC" : "");
  }
  var nodes = JSON.parse(page.dataset.nodes || "[]");
  var url = page.dataset.url + "?" + (page.dataset.chart
    ? "chart=" + encodeURIComponent(page.dataset.chart)
    : nodes.map(function (k) { return "nodes=" + encodeURIComponent(k); }).join("&"));

  function say(text, kind) {
    var box = document.getElementById("timeline-message");
    box.textContent = text;
    box.className = "alert alert-" + (kind || "info");
  }
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }

  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    })
    .then(function (data) {
      var labels = {};
      var groups = new vis.DataSet(data.groups.map(function (g) {
        var text = g.label + (g.reference && g.reference !== g.label ? " · " + g.reference : "") +
          (g.origin ? " (" + S.foreign.replace("%(node)s", g.origin) + ")" : "");
        labels[g.id] = text;
        var content = document.createElement("a");
        content.href = g.url;
        content.textContent = text;
        content.className = "timeline-group group-" + g.kind;
        return { id: g.id, content: content };
      }));
      var kinds = {};
      var items = new vis.DataSet(data.events.map(function (e, index) {
        kinds[e.kind] = true;
        var partial = e.precision === "year" || e.precision === "month";
        var content = document.createElement("span");
        content.textContent = (partial ? dateLabel(e) + " · " : "") + e.label;
        var item = {
          id: index, group: e.group, content: content, start: e.start, kind: e.kind,
          className: "tl-" + e.kind + (partial ? " tl-partial" : "")
        };
        if (e.end) { item.end = e.end; item.type = "range"; } else { item.type = "box"; }
        return item;
      }));
      var body = document.querySelector("#timeline-table tbody");
      data.events.forEach(function (e) {
        var tr = document.createElement("tr");
        tr.className = "event-" + e.kind;
        tr.dataset.precision = e.precision;
        tr.appendChild(cell(dateLabel(e)));
        tr.appendChild(cell(labels[e.group] || e.group));
        tr.appendChild(cell((S[e.kind] || e.kind) + ": " + e.label));
        body.appendChild(tr);
      });
      if (!data.events.length) { say(S.empty, "info"); }
      if (data.truncated) { say(S.truncated, "warning"); }
      var hidden = {};
      var view = new vis.DataView(items, { filter: function (item) { return !hidden[item.kind]; } });
      var filters = document.getElementById("timeline-filters");
      Object.keys(kinds).sort().forEach(function (kind) {
        var label = document.createElement("label");
        label.className = "form-check form-check-inline small mb-0";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = true;
        box.className = "form-check-input";
        box.addEventListener("change", function () { hidden[kind] = !box.checked; view.refresh(); });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + (S[kind] || kind)));
        filters.appendChild(label);
      });
      var timeline = new vis.Timeline(document.getElementById("timeline"), view, groups, {
        stack: true, zoomable: true, orientation: "top", margin: { item: 6 }, locale: LOCALE,
        zoomMin: 1000 * 60 * 60 * 24
      });
      window.ncenTimeline = timeline;  // for the end-to-end tests and the browser console
    })
    .catch(function (error) { say(S.error + " " + error.message, "danger"); });
}());
