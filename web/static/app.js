// Progressive enhancement only: every page works without this file.
"use strict";
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");

// A field marked data-show-when="<name>=<value>" (the H3 restrictions) is shown only while the
// select <name> of the same form holds <value>; without JavaScript it is always shown.
function applyShowWhen(form) {
  form.querySelectorAll("[data-show-when]").forEach((field) => {
    const [name, value] = field.dataset.showWhen.split("=");
    const select = form.querySelector(`[name="${name}"]`);
    const wrapper = field.closest(".mb-3, .mb-2") || field;
    if (!select) return;
    const hidden = select.value !== value && field.value.trim() === "";
    wrapper.classList.toggle("is-hidden-by-rule", hidden);
  });
}

// A new recording form starts with the browser's own UTC offset (without JavaScript: UTC).
function guessOffset() {
  const select = document.querySelector("form[data-fresh] select[name='utc_offset']");
  if (!select) return;
  const minutes = -new Date().getTimezoneOffset();
  const abs = Math.abs(minutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, "0");
  const value = `${minutes < 0 ? "-" : "+"}${hours}:${String(abs % 60).padStart(2, "0")}`;
  if ([...select.options].some((option) => option.value === value)) select.value = value;
}

// Tom Select (npm package "tom-select", served from /vendor/) gives multiple selects and long
// lists (data-search, e.g. countries) a search box; without JavaScript they are plain selects.
function enhanceSelects() {
  document.querySelectorAll("select[multiple], select[data-search]").forEach((select) => {
    if (select.tomselect) return;
    new TomSelect(select, {
      maxOptions: null,
      allowEmptyOption: true,
      plugins: select.multiple ? ["remove_button"] : [],
    });
  });
}

// A participant picker (.picker[data-picker-url]) gets a search-as-you-type box that asks
// GET /seizures/picker/<kind>?q= and puts the chosen record's id in the row's existing_id
// field. The "Find" button and its radio buttons (the no-JavaScript way) stay as they are.
function enhancePicker(picker) {
  const { pickerUrl, pickerName, pickerId, pickerLabel, pickerEmpty } = picker.dataset;
  const wrapper = document.createElement("div");
  wrapper.className = "mb-2 picker-live";
  const label = document.createElement("label");
  label.className = "form-label small mb-1";
  label.htmlFor = pickerId;
  label.textContent = pickerLabel;
  const select = document.createElement("select");
  select.id = pickerId;
  select.className = "form-select form-select-sm";
  wrapper.append(label, select);
  picker.prepend(wrapper);
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = pickerName;
  hidden.disabled = true;
  picker.append(hidden);
  const radios = () =>
    picker.querySelectorAll(`input[type="radio"][name="${CSS.escape(pickerName)}"]`);
  new TomSelect(select, {
    valueField: "id",
    labelField: "label",
    searchField: ["label"],
    maxItems: 1,
    maxOptions: 20,
    loadThrottle: 250,
    // The server has already matched names, numbers and identifiers: show all it returns.
    score: () => () => 1,
    shouldLoad: (query) => query.trim().length > 0,
    load(query, callback) {
      const url = new URL(pickerUrl, window.location.href);
      url.searchParams.set("q", query);
      this.clearOptions();
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : []))
        .then((items) => callback(items), () => callback());
    },
    render: {
      // Tom Select escapes the labels of options; this text is set as text, never as HTML.
      no_results: () => {
        const div = document.createElement("div");
        div.className = "no-results";
        div.textContent = pickerEmpty;
        return div;
      },
    },
    onChange(value) {
      hidden.value = value;
      hidden.disabled = !value;
      radios().forEach((radio) => {
        radio.disabled = Boolean(value);
        if (value) radio.checked = false;
      });
    },
  });
}

// The bar's menus are <details> (they open without JavaScript); here one open menu closes the
// others, and a click elsewhere or Escape closes it, as a menu is expected to.
function closeNavMenus(except) {
  document.querySelectorAll("details.nav-menu[open]").forEach((menu) => {
    if (menu !== except) menu.open = false;
  });
}

function enhanceNavMenus() {
  document.querySelectorAll("details.nav-menu").forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) closeNavMenus(menu);
    });
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("details.nav-menu")) closeNavMenus(null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = document.querySelector("details.nav-menu[open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  guessOffset();
  enhanceNavMenus();
  if (typeof TomSelect !== "undefined") {
    enhanceSelects();
    document.querySelectorAll(".picker[data-picker-url]").forEach(enhancePicker);
  }
  document.querySelectorAll("form").forEach((form) => {
    if (!form.querySelector("[data-show-when]")) return;
    applyShowWhen(form);
    form.addEventListener("change", () => applyShowWhen(form));
  });
  // Buttons that delete ask first (without JavaScript they act at once, as any form does).
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.form.addEventListener("submit", (event) => {
      if (event.submitter === button && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
});
