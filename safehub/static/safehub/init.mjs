import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// A page opened at one of its blocks (screening after "Link"): move focus there too, so that
// keyboard and screen reader users carry on where they were. Only blocks meant for it
// (tabindex="-1") take focus.
const target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
if (target && target.getAttribute("tabindex") === "-1") {
  target.focus();
}

// What was typed into a form marked data-keep-draft survives the page's other buttons (screening's
// "Link" reloads the page): it is kept in this tab's session storage while it is typed, put back
// into fields the page left empty, and forgotten when the form itself is sent.
for (const form of document.querySelectorAll("form[data-keep-draft]")) {
  const key = `safehub-draft:${window.location.pathname}:${form.dataset.keepDraft}`;
  const fields = () => Array.from(form.elements).filter((field) => field.name && field.type !== "hidden");
  let saved = {};
  try {
    saved = JSON.parse(window.sessionStorage.getItem(key) || "{}");
  } catch {
    saved = {};
  }
  for (const field of fields()) {
    if (!(field.name in saved)) continue;
    if (field.type === "radio" || field.type === "checkbox") {
      const group = form.querySelectorAll(`[name="${CSS.escape(field.name)}"]`);
      if (!Array.from(group).some((other) => other.checked)) field.checked = saved[field.name] === field.value;
    } else if (!field.value) {
      field.value = saved[field.name];
    }
  }
  const keep = () => {
    const values = {};
    for (const field of fields()) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      if (field.type !== "submit" && field.type !== "button") values[field.name] = field.value;
    }
    window.sessionStorage.setItem(key, JSON.stringify(values));
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", () => window.sessionStorage.removeItem(key));
}

// A form that sends information to other agencies (MASH check requests: each one a disclosure) is
// sent by its button only: Enter in one of its boxes, pressed while typing, does not send it.
for (const form of document.querySelectorAll("form[data-send-by-button]")) {
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key === "Enter" && field instanceof HTMLInputElement && field.type !== "submit") {
      event.preventDefault();
    }
  });
}
