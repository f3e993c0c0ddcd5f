// Placeholder webview entry; the training-panel work (issue 5) replaces it.
export {};
