/** Gateway routes → sandbox runtime routes (appended to the endpoint's secret base path). */
export const WS_ROUTES: Readonly<Record<string, string>> = {
  '/playwright': '/playwright',
  '/cdp': '/cdp',
};

/** HTTP forwarding: CDP discovery (`/cdp/json/…`) and an in-sandbox MCP server (`/mcp…`). */
export function httpRoute(route: string): string | undefined {
  if (route.startsWith('/cdp/json/') || route === '/cdp/json') return route.slice('/cdp'.length);
  if (route === '/mcp' || route.startsWith('/mcp/')) return route;
  return undefined;
}
