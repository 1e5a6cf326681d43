// kiemdinh's page helper for citizen journeys (probe/browser/flow.rs): arguments[0] is the
// operation, arguments[1] its parameters. Text is compared in NFC, case- and space-insensitive.
const op = arguments[0], p = arguments[1] || {};
const norm = (s) => (s || '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const visible = (el) => {
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const st = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
};
const ownText = (el) => norm(el.innerText || el.value || el.getAttribute('aria-label') || '');
function byCss(sel) {
  try { return Array.from(document.querySelectorAll(sel)); }
  catch (e) { return { error: 'invalid CSS selector `' + sel + '`' }; }
}
function byText(t) {
  const want = norm(t);
  const interactive = 'a, button, input[type=submit], input[type=button], [role=button], ' +
    '[role=link], [role=tab], [role=menuitem], label, summary, option';
  const hits = Array.from(document.querySelectorAll(interactive))
    .filter((el) => ownText(el).includes(want));
  if (hits.length) {
    const exact = (el) => (ownText(el) === want ? 0 : 1);
    return hits.sort((a, b) => exact(a) - exact(b));
  }
  // Any element showing the text: the innermost ones.
  const all = Array.from(document.body ? document.body.querySelectorAll('*') : [])
    .filter((el) => norm(el.innerText).includes(want));
  return all.filter((el) => !Array.from(el.children).some((c) => norm(c.innerText).includes(want)));
}
function byLabel(t) {
  const want = norm(t);
  const out = [];
  for (const l of document.querySelectorAll('label')) {
    if (!norm(l.innerText).includes(want)) continue;
    const f = l.control || (l.htmlFor ? document.getElementById(l.htmlFor) : null) ||
      l.querySelector('input, select, textarea');
    if (f && !out.includes(f)) out.push(f);
  }
  for (const f of document.querySelectorAll('input, select, textarea, [contenteditable=true]')) {
    const names = [f.getAttribute('aria-label'), f.getAttribute('placeholder'), f.title];
    const by = f.getAttribute('aria-labelledby');
    if (by) names.push(by.split(/\s+/).map((id) => (document.getElementById(id) || {}).innerText).join(' '));
    if (names.some((n) => n && norm(n).includes(want)) && !out.includes(f)) out.push(f);
  }
  return out;
}
switch (op) {
  case 'locate': {
    const found = p.by === 'css' ? byCss(p.value) : p.by === 'text' ? byText(p.value) : byLabel(p.value);
    if (found.error) return { error: found.error };
    document.querySelectorAll('[data-kiemdinh-target]').forEach((e) => e.removeAttribute('data-kiemdinh-target'));
    // A file input is often hidden behind a styled button: it still takes a file.
    const usable = found.filter((el) => visible(el) || (p.hiddenOk && el.matches('input[type=file]')));
    if (!usable.length) return { count: found.length, usable: 0 };
    usable[0].setAttribute('data-kiemdinh-target', p.mark);
    return { count: found.length, usable: usable.length };
  }
  case 'has-text':
    return norm(document.body ? document.body.innerText : '').includes(norm(p.text));
  case 'messages': {
    // Validation and error messages the page shows now.
    const sel = '[role=alert], [aria-live=assertive], .invalid-feedback, .error, .errors, ' +
      '.field-error, .has-error .help-block, .text-danger, .alert-danger, .alert-error, ' +
      '.validation-summary-errors, .field-validation-error, .thong-bao-loi, .loi, ' +
      '[class*="error"], [class*="invalid"]';
    const msgs = [];
    for (const el of document.querySelectorAll(sel)) {
      const t = (el.innerText || '').trim();
      if (t && visible(el)) msgs.push(t.slice(0, 200));
    }
    for (const el of document.querySelectorAll('[aria-invalid=true]')) {
      if (visible(el)) msgs.push('aria-invalid: ' + (el.name || el.id || el.tagName.toLowerCase()));
    }
    for (const f of document.querySelectorAll('input, select, textarea')) {
      if (f.form && !f.form.noValidate && f.willValidate && !f.validity.valid && f.validationMessage) {
        msgs.push(f.validationMessage);
      }
    }
    return Array.from(new Set(msgs)).slice(0, 20);
  }
  case 'mark-secret': {
    const el = document.querySelector('[data-kiemdinh-target]');
    if (el) el.setAttribute('data-kiemdinh-secret', '');
    return true;
  }
  case 'mask-secrets':
    document.querySelectorAll('[data-kiemdinh-secret]')
      .forEach((e) => e.style.setProperty('-webkit-text-security', 'disc'));
    return true;
  default:
    return { error: 'unknown operation ' + op };
}
