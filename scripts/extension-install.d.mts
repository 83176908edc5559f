// Types for extension-install.mjs, so TypeScript callers (the e2e test) get checked signatures.
export declare const REPO_ROOT: string;
export declare function extensionIdentity(sourceDir?: string): { id: string; version: string; folderName: string };
export declare function buildExtension(options?: { production?: boolean; sourceDir?: string }): void;
export declare function installUnpackedExtension(options: { extensionsDir: string; sourceDir?: string }): {
  folder: string;
  id: string;
  version: string;
};
export declare function copySampleWorkspace(options?: { parent?: string }): string;
