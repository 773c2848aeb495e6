/** Saves `blob` as a file called `name` through the browser's download. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; the URL is only needed until then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name for an export of `room`, e.g. "team-plan.svg". */
export function exportName(room: string, extension: string): string {
  const base = room.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'board';
  return `${base}.${extension}`;
}
