/** Who listens to a service's events. One listener's failure (a closed window, a dropped stream) is not the others'. */
export function createListeners<E>() {
  const set = new Set<(event: E) => void>();
  return {
    emit(event: E): void {
      for (const l of set) {
        try {
          l(event);
        } catch {
          // Its own failure: the service and the other listeners go on.
        }
      }
    },
    add(listener: (event: E) => void): () => void {
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    clear(): void {
      set.clear();
    },
    size(): number {
      return set.size;
    },
  };
}
