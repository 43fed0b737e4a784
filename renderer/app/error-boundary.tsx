import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  /** Changing this clears a caught error, e.g. when the user navigates elsewhere. */
  readonly resetKey?: string;
  readonly fallback: (error: Error, reset: () => void) => ReactNode;
}

interface State {
  readonly error: Error | null;
  readonly resetKey?: string;
}

/** Catches render bugs below it and shows `fallback` instead of a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // A render bug is a Mailroom defect: keep it visible in the developer console with its component stack.
    console.error('Render error', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error, () => this.setState({ error: null })) : this.props.children;
  }
}
