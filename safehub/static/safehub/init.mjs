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
  // A form marked data-keep-draft-on-back (a new contact: every one has the same address) gets its
  // draft back only when the user comes Back to it; opened afresh, it starts blank.
  const arrival = performance.getEntriesByType("navigation")[0];
  if ("keepDraftOnBack" in form.dataset && !(arrival && arrival.type === "back_forward")) {
    window.sessionStorage.removeItem(key);
    saved = {};
  }
  // People added in the page before leaving it are drawn again, so that what was typed has a place.
  const adder = form.querySelector("button[data-add-person]");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  if (adder && total) {
    const prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    const indexes = Object.keys(saved)
      .filter((name) => name.startsWith(`${prefix}-`))
      .map((name) => Number(name.slice(prefix.length + 1).split("-")[0]))
      .filter((index) => Number.isInteger(index));
    const needed = indexes.length ? Math.max(...indexes) + 1 : 0;
    while (Number(total.value) < needed && addPersonBlock(adder, { focus: false })) {
      // each round adds one block
    }
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

// "Add another person" on a formset (the contact's people) adds a blank block from its <template>
// in the page, numbered as the server would number it, and moves focus there: no round trip, so the
// browser's Back never asks to resend the form. At the formset's limit the server answers instead.
function addPersonBlock(button, { focus = true } = {}) {
  const template = document.getElementById(button.dataset.addPerson);
  const total = button.form && button.form.querySelector("input[name$='-TOTAL_FORMS']");
  const most = button.form && button.form.querySelector("input[name$='-MAX_NUM_FORMS']");
  if (!(template instanceof HTMLTemplateElement) || !total) return null;
  const index = Number(total.value);
  if (most && index + 1 > Number(most.value)) return null;
  const block = (number) =>
    template.innerHTML.replaceAll("__prefix__", String(number)).replaceAll("__number__", String(number + 1));
  // The first person gets a "Remove" button too, once there are two (as the server draws them).
  const first = document.getElementById("person-1");
  if (index === 1 && first && !first.querySelector("button[name^='remove-person-']")) {
    const holder = document.createElement("div");
    holder.innerHTML = block(0);
    const remove = holder.querySelector("button[name^='remove-person-']");
    if (remove) first.append(remove);
  }
  button.insertAdjacentHTML("beforebegin", block(index));
  total.value = String(index + 1);
  const added = document.getElementById(`person-${index + 1}`);
  if (!added) return null;
  initAll({ scope: added });
  const field = added.querySelector("select, input:not([type='hidden']), textarea");
  if (focus && field instanceof HTMLElement) field.focus();
  return added;
}

for (const button of document.querySelectorAll("button[data-add-person]")) {
  button.addEventListener("click", (event) => {
    if (addPersonBlock(button)) {
      event.preventDefault();
      button.form.dispatchEvent(new Event("change"));  // a kept draft counts the new block
    }
  });
}
