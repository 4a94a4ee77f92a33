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

document.addEventListener("DOMContentLoaded", () => {
  guessOffset();
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
