// Entry of the training panel page (bundled to dist/webview.js; its CSS to dist/webview.css).
import 'uplot/dist/uPlot.min.css';
import './ui/panel.css';
import { registerToolkit } from './toolkit';
import { App } from './ui/app';
import { logToHost } from './ui/host';

window.addEventListener('error', (e) => logToHost('error', `${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) => logToHost('error', `unhandled rejection: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`));
// CSP violations would otherwise only show in the webview's devtools.
document.addEventListener('securitypolicyviolation', (e) => logToHost('warn', `CSP blocked ${e.blockedURI || 'inline code'} (${e.violatedDirective})`));

registerToolkit();
new App(document.getElementById('app') ?? document.body);
