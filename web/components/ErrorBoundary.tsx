import { Component, type ErrorInfo, type ReactNode } from 'react';

/** A view that throws shows its error in place (with a way to try again) instead of blanking the page. */
export class ErrorBoundary extends Component<{ label: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.label} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="view-message error" role="alert">
          <strong>{this.props.label} failed:</strong> {this.state.error.message}
          <div><button type="button" className="small-button" onClick={() => this.setState({ error: null })}>Try again</button></div>
        </div>
      );
    }
    return this.props.children;
  }
}
