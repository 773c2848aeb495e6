/** Whether the server can be reached now, and when that changes (the sync connection says). */
export interface OnlineSignal {
  connected(): boolean;
  onChange(listener: () => void): () => void;
}
