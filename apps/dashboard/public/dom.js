// A tiny element builder: text always goes in as text (never parsed as HTML).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces the content of `container` with a loading, empty or error line. */
export function showState(container, kind, text) {
  container.replaceChildren(
    h(
      'p',
      { class: kind === 'error' ? 'error' : 'state', role: 'status', dataset: { state: kind } },
      text,
    ),
  );
}
