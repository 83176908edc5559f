// The "Tiller" output channel, created on first use so activation creates nothing it does not need.
import * as vscode from 'vscode';
import type { Logger } from '../core/ports.js';

let channel: vscode.LogOutputChannel | undefined;

function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Tiller', { log: true });
  return channel;
}

export const outputLog: Logger = {
  info: (message) => output().info(message),
  warn: (message) => output().warn(message),
  error: (message) => output().error(message),
};

export function disposeOutputLog(): void {
  channel?.dispose();
  channel = undefined;
}
