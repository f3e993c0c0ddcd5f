/**
 * The webview's HTML shell: one stylesheet and one script from dist/, under a Content Security Policy
 * that allows nothing inline. Scripts run only with the per-load nonce; 'wasm-unsafe-eval' lets the
 * TF.js WASM backend compile its module and is the only relaxation (no 'unsafe-inline', no 'unsafe-eval').
 * The toolkit (FAST) probes :focus-visible support with a <style> element it creates at run time; it
 * reads the nonce for that element from <meta property="csp-nonce">, so the page carries one.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  cspSource: string;
  /** Webview URIs (as strings) of dist/webview.js and dist/webview.css. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** A fresh nonce per page load: 128 random bits, base64 (CSP nonces must be unguessable). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // fetch() of the bundled MNIST subset and of the TF.js .wasm binaries, both served from the extension.
    `connect-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const nonce = escapeAttr(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttr(o.styleUri)}">
<title>Initializer Training Comparison</title>
</head>
<body>
<div id="app" data-state="loading">Loading the training panel…</div>
<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
