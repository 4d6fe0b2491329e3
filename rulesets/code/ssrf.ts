import { pathOf, sinkResults } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'ssrf',
    engine: 'code',
    severity: 'error',
    title: 'Request data chooses the URL the server fetches.',
    rationale:
      'A server that fetches a URL taken from the request (`fetch`, axios, got, `http.request`, superagent, undici) ' +
      'can be pointed at internal services, cloud metadata endpoints (`http://169.254.169.254/`) and ports behind ' +
      'the firewall, and returns or acts on what it finds (CWE-918, OWASP API7). A URL whose scheme and host the ' +
      'code fixes, or one checked against an allow-list of hosts, is safe.',
    fix:
      'Build the URL from a fixed base (`https://api.example.com/items/${encodeURIComponent(id)}`) or check the ' +
      'parsed host against an allow-list before fetching; block private and link-local addresses when the host must ' +
      'be free.',
    cwe: ['CWE-918'],
    owasp: ['API7:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/preview', async (req, res) => {\n  const page = await fetch(req.body.url);\n  res.send(await page.text());\n});\n",
      safe: "app.post('/preview', async (req, res) => {\n  const url = new URL(req.body.url);\n  if (!ALLOWED_HOSTS.includes(url.hostname)) return res.sendStatus(400);\n  res.send(await (await fetch(url)).text());\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(
      flow.arrivals,
      'ssrf',
      (first, sources) =>
        `${sources} chooses the URL fetched by ${first.sink.name}: ${pathOf(first)}. Fix the host, or check it against an allow-list.`,
    );
  },
});
