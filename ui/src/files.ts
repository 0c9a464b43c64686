// Reading files the person picked, for commands that take their bytes as base64.

export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** A picked file as the backend's `FileData`. */
export async function fileData(file: File): Promise<{ name: string; data: string }> {
  return { name: file.name, data: await readAsBase64(file) };
}

/** "12.3 MB", "800 KB", "512 bytes", as the CLI prints sizes. */
export function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
