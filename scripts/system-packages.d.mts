export interface SystemTool {
  check: string[];
  package: string;
  purpose: string;
}
export declare const systemTools: Record<string, SystemTool>;
export declare function hasSystemTool(name: string): boolean;
export declare function missingToolMessage(name: string): string;
export declare function requireSystemTool(name: string): void;
