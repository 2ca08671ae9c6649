import { Component, lazy, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { useT } from '../../hooks/useT.js';

/** Loaders whose last import failed, each of which starts a new import when called. */
const failedLoads = new Set<() => void>();

/** Lets every failed `reloadableLazy` import again on its next render. */
function retryFailedLoads(): void {
  for (const reset of failedLoads) reset();
  failedLoads.clear();
}

/**
 * Returns a component that loads its code on first render, like `React.lazy`. React.lazy keeps
 * a failed import for good, so a chunk that failed to download while the service was down would
 * fail on every later render. This one imports again once a `LoadBoundary` is created or retried
 * after the failure. It does not import again on its own, because React renders a suspended
 * component again when its import settles, and a fresh import then would repeat without end.
 */
export function reloadableLazy<P extends object>(
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  const create = () =>
    lazy(() =>
      load().then(
        (component) => ({ default: component }),
        (error: unknown) => {
          failedLoads.add(() => (current = create()));
          throw error;
        },
      ),
    );
  let current = create();
  return function Reloadable(props: P) {
    const Current = current as unknown as ComponentType<P>;
    return <Current {...props} />;
  };
}

function LoadFailed({ message, onRetry }: { message: string; onRetry(): void }) {
  const t = useT();
  return (
    <div className="error panel-load-failed" role="alert">
      {t('panel.loadFailed', { message })}{' '}
      <button type="button" onClick={onRetry}>
        {t('panel.retry')}
      </button>
    </div>
  );
}

type BoundaryProps = { children: ReactNode };
type BoundaryState = { error?: Error };

/**
 * Shows an error and a retry button in place of its children when they fail to render, e.g.
 * when their code could not be downloaded, so the rest of the editor stays usable.
 */
export class LoadBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = {};

  constructor(props: BoundaryProps) {
    super(props);
    retryFailedLoads();
  }

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('editor panel failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return (
      <LoadFailed
        message={error.message}
        onRetry={() => {
          retryFailedLoads();
          this.setState({ error: undefined });
        }}
      />
    );
  }
}
