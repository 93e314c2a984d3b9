// Small DOM helpers. Views build elements with h() instead of innerHTML, so
// user text is never parsed as markup and nothing needs inline styles.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "dataset") Object.assign(el.dataset, value);
      else if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === "text") el.textContent = value;
      else if (value === true) el.setAttribute(key, "");
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Resolves in a later task, so the browser can paint (and answer taps) in between. */
export function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let idCounter = 0;
export function uid(prefix = "f") {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: returns {wrap, input}. */
export function field(label, inputAttrs = {}, { hint, suffix } = {}) {
  const id = inputAttrs.id || uid("in");
  const hintId = hint || suffix ? `${id}-hint` : undefined;
  const tag = inputAttrs.tag || "input";
  const attrs = { ...inputAttrs, id, "aria-describedby": hintId };
  delete attrs.tag;
  const input = h(tag, attrs);
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    suffix
      ? h("div", { class: "with-suffix" }, input, h("span", { class: "suffix", id: hintId }, suffix))
      : input,
    hint && !suffix ? h("p", { class: "hint", id: hintId }, hint) : null,
  );
  return { wrap, input };
}

/** A group of radio or checkbox chips inside a fieldset with a visible legend. */
export function chips(legend, name, options, { type = "radio", value, values = [], columns } = {}) {
  const set = h("fieldset", { class: `chips${columns ? ` cols-${columns}` : ""}` }, h("legend", {}, legend));
  const list = h("div", { class: "chip-list" });
  for (const [optValue, optLabel] of options) {
    const id = uid(name);
    const checked = type === "radio" ? String(value) === String(optValue) : values.includes(optValue);
    list.appendChild(
      h(
        "div",
        { class: "chip" },
        h("input", { type, id, name, value: optValue, checked }),
        h("label", { for: id }, optLabel),
      ),
    );
  }
  set.appendChild(list);
  return set;
}

export function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

export function checkedValue(root, name) {
  const el = root.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : null;
}

/** Status messages announced to screen readers. */
export function notice(kind, ...children) {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}
