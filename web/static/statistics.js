// The statistics page's charts (ECharts, served from /vendor/). Each chart box names the table
// beside it (data-table); the chart is drawn from that table's rows, so the chart, the table
// and the CSV show the same numbers, and clicking a bar, point, flow or country opens the
// seizure list behind it (the row's data-href). Without JavaScript the tables remain.
"use strict";

(function () {
  // Numbers and months in the reader's locale (the page's lang is the interface language).
  const LOCALE = document.documentElement.lang || "en";
  const NUMBER = new Intl.NumberFormat(LOCALE);
  const MONTH = new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", timeZone: "UTC" });
  const number = (value) => (typeof value === "number" ? NUMBER.format(value) : String(value ?? ""));
  function monthLabel(key) {
    const [year, month] = key.split("-").map(Number);
    return MONTH.format(new Date(Date.UTC(year, month - 1, 1)));
  }

  // ECharts writes a tooltip formatter's string as HTML; labels come from code lists that an
  // administrator edits, so they are escaped first (the CSP would stop scripts, not markup).
  function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    }[c]));
  }

  function rowsOf(box) {
    const table = document.getElementById(box.dataset.table);
    if (!table) return [];
    return [...table.querySelectorAll("tbody tr[data-value]")].map((tr) => ({
      value: tr.dataset.value,
      label: tr.dataset.label,
      count: Number(tr.dataset.count),
      href: tr.dataset.href,
      numeric: tr.dataset.numeric || "",
      target: tr.dataset.target,
      targetLabel: tr.dataset.targetLabel,
    }));
  }

  function follow(href) {
    if (href) window.location.assign(href);
  }

  // Months without seizures are drawn as zero (without a link), so time is evenly spaced.
  function everyMonth(rows) {
    if (!rows.length || !/^\d{4}-\d{2}$/.test(rows[0].value)) return rows;
    const byMonth = new Map(rows.map((r) => [r.value, r]));
    const out = [];
    let [year, month] = rows[0].value.split("-").map(Number);
    const last = rows[rows.length - 1].value;
    for (let guard = 0; guard < 1200; guard += 1) {
      const key = `${year}-${String(month).padStart(2, "0")}`;
      const found = byMonth.get(key);
      out.push(found ? { ...found, label: monthLabel(key) } : { value: key, label: monthLabel(key), count: 0, href: "" });
      if (key >= last) break;
      month += 1;
      if (month > 12) { month = 1; year += 1; }
    }
    return out;
  }

  function barOrLine(chart, rows, kind) {
    // Bars: largest first, at most 25; a line keeps time order.
    const shown = kind === "bar" ? rows.slice(0, 25) : everyMonth(rows);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: number },
      grid: { left: 48, right: 16, top: 16, bottom: kind === "bar" ? 96 : 48 },
      xAxis: {
        type: "category",
        data: shown.map((r) => r.label),
        axisLabel: { rotate: kind === "bar" ? 40 : 0, width: 120, overflow: "truncate" },
      },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: number } },
      series: [{
        type: kind,
        data: shown.map((r) => ({ value: r.count, href: r.href })),
        smooth: false,
      }],
    });
    chart.on("click", (params) => follow(params.data && params.data.href));
  }

  function sankey(chart, rows) {
    // Departure and destination countries are separate nodes ("from"/"to" ids), so a country
    // that is both does not make a cycle, which a Sankey cannot draw.
    const names = {};
    const links = rows.slice(0, 60).map((r) => {
      const source = "from:" + r.value;
      const target = "to:" + r.target;
      names[source] = r.label;
      names[target] = r.targetLabel;
      return { source: source, target: target, value: r.count, href: r.href };
    });
    chart.setOption({
      tooltip: {
        formatter: (p) => p.dataType === "edge"
          ? `${escapeHtml(names[p.data.source])} → ${escapeHtml(names[p.data.target])}: ${number(p.data.value)}`
          : `${escapeHtml(names[p.name])}: ${number(p.value)}`,
      },
      series: [{
        type: "sankey",
        left: 8,
        right: 150,
        data: Object.keys(names).map((id) => ({ name: id })),
        links: links,
        label: { formatter: (p) => names[p.name] },
        emphasis: { focus: "adjacency" },
      }],
    });
    chart.on("click", (params) => {
      if (params.dataType === "edge") follow(params.data.href);
    });
  }

  async function choropleth(chart, rows, url) {
    const topology = await (await fetch(url, { credentials: "same-origin" })).json();
    const world = window.topojson.feature(topology, topology.objects.countries);
    // Regions are named by ISO 3166 numeric id, the key of world-atlas shapes.
    world.features.forEach((feature) => {
      feature.properties = { name: String(feature.id) };
    });
    window.echarts.registerMap("ncen-world", world);
    const byNumeric = {};
    rows.forEach((r) => { if (r.numeric) byNumeric[r.numeric] = r; });
    const max = Math.max(1, ...rows.map((r) => r.count));
    chart.setOption({
      tooltip: {
        formatter: (p) => (byNumeric[p.name] ? `${escapeHtml(byNumeric[p.name].label)}: ${number(p.value)}` : ""),
      },
      visualMap: {
        min: 0, max: max, left: 8, bottom: 8, calculable: true, itemHeight: 80,
        formatter: (value) => number(Math.round(Number(value))),
      },
      series: [{
        type: "map",
        map: "ncen-world",
        roam: true,
        emphasis: { label: { show: false } },
        data: Object.values(byNumeric).map((r) => ({ name: r.numeric, value: r.count, href: r.href })),
      }],
    });
    chart.on("click", (params) => follow(params.data && params.data.href));
  }

  function draw(box) {
    const rows = rowsOf(box);
    const kind = box.dataset.chart;
    if (!rows.length || !window.echarts) {
      box.classList.add("d-none");
      return;
    }
    const chart = window.echarts.init(box, null, { renderer: "canvas" });
    // Drawn at once: analysts compare panels, and a screenshot shows the finished chart.
    chart.setOption({ animation: false });
    window.addEventListener("resize", () => chart.resize());
    if (kind === "bar" || kind === "line") barOrLine(chart, rows, kind);
    else if (kind === "sankey") sankey(chart, rows);
    else if (kind === "map") {
      choropleth(chart, rows, box.dataset.mapUrl).catch((error) => {
        box.classList.add("d-none");
        console.warn("map not drawn:", error); // the table beside it still has every number
      });
    }
  }

  function start() {
    document.querySelectorAll(".stats-chart[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
