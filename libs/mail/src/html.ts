const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML body or attribute: product names and URLs come from shops, never trusted. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** The shared frame of every HTML body: one column, inline styles (mail clients drop `<style>`). */
export function htmlDocument(title: string, body: string, footer: string): string {
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:40em;margin:1em auto;color:#222">',
    body,
    `<p style="color:#666;font-size:0.85em;border-top:1px solid #ddd;padding-top:0.5em">${footer}</p>`,
    '</body></html>',
  ].join('\n');
}
