import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// A page opened at one of its blocks (screening after "Link"): move focus there too, so that
// keyboard and screen reader users carry on where they were. Only blocks meant for it
// (tabindex="-1") take focus.
const target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
if (target && target.getAttribute("tabindex") === "-1") {
  target.focus();
}
