// The chat view's HTML shell. Pure (no `vscode`), so the Content-Security-Policy is tested directly: no inline
// script without the nonce, no remote anything, styles only from the extension or with the nonce.
import { randomBytes } from 'node:crypto';

export interface ChatHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The codicon stylesheet (dist/codicons/codicon.css), when shipped. */
  codiconUri?: string;
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    // blob: for the thumbnails of images pasted into the composer (object URLs the view itself made).
    `img-src ${cspSource} blob:`,
  ].join('; ');
}

export function chatHtml(input: ChatHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${
  input.codiconUri
    ? `<link rel="stylesheet" href="${attr(input.codiconUri)}" nonce="${nonce}">
`
    : ''
}<link rel="stylesheet" href="${attr(input.styleUri)}" nonce="${nonce}">
<title>Tiller</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
