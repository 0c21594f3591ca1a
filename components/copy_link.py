"""A "copy this view's link" control: the address bar (filters included) to the clipboard, on plain-http intranets too."""

import streamlit as st

from services.shared.text import COPY_LINK_BUTTON, COPY_LINK_DONE, COPY_LINK_LABEL, COPY_LINK_MANUAL

_HTML = """
<div class="fanzha-copy-link" style="display:flex;gap:.5rem;align-items:center;">
  <input class="fanzha-link" readonly aria-label="{label}"
         style="flex:1;min-width:16rem;padding:.35rem .5rem;border:1px solid #ccc;border-radius:.4rem;font-size:.85rem;">
  <button class="fanzha-copy" type="button"
          style="padding:.35rem .8rem;border:1px solid #ccc;border-radius:.4rem;background:#fff;cursor:pointer;">
    {button}</button>
  <span class="fanzha-copied" style="font-size:.85rem;color:#2e7d32;"></span>
</div>
"""

# navigator.clipboard exists only on https or localhost; an intranet on plain http needs execCommand.
_JS = """
export default function (component) {
  const { parentElement, data } = component;
  // Streamlit calls this again with every new `data` and cleans up only on unmount: keep one timer per element
  // and let it read the latest data, or an earlier timer would keep writing the unit this view showed before.
  parentElement.fanzhaData = data;
  const input = parentElement.querySelector(".fanzha-link");
  const button = parentElement.querySelector(".fanzha-copy");
  const done = parentElement.querySelector(".fanzha-copied");
  // The link always names the unit: the same link must show the same unit to everyone (or be refused).
  const refresh = () => {
    const url = new URL(window.location.href);
    for (const [name, value] of Object.entries(parentElement.fanzhaData.params || {})) {
      url.searchParams.set(name, value);
    }
    input.value = url.toString();
  };
  refresh();
  if (!parentElement.fanzhaTimer) parentElement.fanzhaTimer = setInterval(refresh, 500);
  button.onclick = async () => {
    refresh();
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(input.value);
        copied = true;
      }
    } catch (e) { copied = false; }
    if (!copied) {
      input.select();
      copied = document.execCommand && document.execCommand("copy");
    }
    done.textContent = copied ? parentElement.fanzhaData.copied : parentElement.fanzhaData.manual;
  };
  return () => { clearInterval(parentElement.fanzhaTimer); parentElement.fanzhaTimer = null; };
}
"""
_component = st.components.v2.component(
    "fanzha_copy_link", html=_HTML.format(label=COPY_LINK_LABEL, button=COPY_LINK_BUTTON), js=_JS,
)


def copy_link(key: str, unit_id: int) -> None:
    """Show the current address with a button that copies it; the link always carries the unit shown (`unit`).

    Without it the link would mean "the opener's own unit": the city to a leader, a station to its clerk.
    """
    _component(data={"copied": COPY_LINK_DONE, "manual": COPY_LINK_MANUAL, "params": {"unit": str(unit_id)}},
               key=key)
