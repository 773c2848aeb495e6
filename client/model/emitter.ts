/** A listener list: `on` returns its own unsubscribe, so callers never hold a second handle. */
export interface Emitter<T> {
  on(listener: (value: T) => void): () => void;
  emit(value: T): void;
  clear(): void;
}

/** Creates an emitter; a throwing listener is reported and does not stop the others. */
export function createEmitter<T>(): Emitter<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          console.error('listener failed', error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
