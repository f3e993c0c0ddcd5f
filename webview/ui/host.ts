/** The page's side of the message protocol: typed posts to the host, and checked messages from it. */
import { describeMessage, isHostToWebviewMessage, type HostToWebviewMessage, type WebviewToHostMessage } from '../../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function postToHost(message: WebviewToHostMessage): void {
  api.postMessage(message);
}

export function logToHost(level: 'info' | 'warn' | 'error', message: string): void {
  postToHost({ type: 'log', level, message });
}

/** Delivers only messages that pass the protocol check; anything else is dropped and reported to the host's log. */
export function onHostMessage(handler: (message: HostToWebviewMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isHostToWebviewMessage(data)) {
      logToHost('warn', `webview dropped a malformed message from the host: ${describeMessage(data)}`);
      return;
    }
    handler(data);
  });
}
